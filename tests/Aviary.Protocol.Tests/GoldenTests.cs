using System.Text;

namespace Aviary.Protocol.Tests;

/// <summary>Our encoding of each message type, byte for byte, against the shapes in protocol.md.</summary>
public sealed class GoldenTests
{
    public static TheoryData<string, string> Examples => new()
    {
        { "gossip", """{"type":"GOSSIP","host":"130.179.28.120","port":8505,"id":"088fb841-4e28-4aed-97da-2bcea2927afd","name":"The Crevice III"}""" },
        { "gossip-reply", """{"type":"GOSSIP_REPLY","host":"130.179.28.129","port":8755,"name":"Cole Chuchmach"}""" },
        { "stats", """{"type":"STATS"}""" },
        { "stats-reply", """{"type":"STATS_REPLY","height":4542,"hash":"caab6110a889deb0082812c2ef7213cd8aa1f58cd86c10885e1ad44000000000"}""" },
        { "get-block", """{"type":"GET_BLOCK","height":4}""" },
        { "get-block-reply", """{"type":"GET_BLOCK_REPLY","height":4,"minedBy":"Prof!","nonce":"9180556384442","messages":["boxers","hosed","conjugations","adagio's","uncomplimentary"],"hash":"b78a93871f45ce84b8174941c23ae87c45b0465eb05ea8f6b7172d6600000000","timestamp":1731024600}""" },
        { "get-block-reply-null", """{"type":"GET_BLOCK_REPLY","height":null,"minedBy":null,"nonce":null,"messages":null,"hash":null,"timestamp":null}""" },
        { "announce", """{"type":"ANNOUNCE","height":2155,"minedBy":"Nico Rosberg","nonce":"146424285","messages":["Jihan","Park","Mirha"],"hash":"6a90cf4e00000000000000000000000000000000000000000000000000000000","timestamp":1733103931}""" },
        { "new-word", """{"type":"NEW_WORD","word":"test"}""" },
        { "consensus", """{"type":"CONSENSUS"}""" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_decodes_and_encodes_back_to_the_same_bytes(string name, string wire)
    {
        var decoded = MessageDecoder.Decode(Encoding.UTF8.GetBytes(wire));
        Assert.True(decoded.IsMessage, $"{name}: {decoded}");
        Assert.Equal(wire, Encoding.UTF8.GetString(MessageEncoder.Encode(decoded.Message!)));
    }

    [Fact]
    public void Professors_spaced_reply_decodes_to_the_same_block()
    {
        const string Spaced = """{"type": "GET_BLOCK_REPLY", "height": 4, "minedBy": "Prof!", "nonce": "9180556384442", "messages": ["boxers", "hosed", "conjugations", "adagio's", "uncomplimentary"], "hash": "b78a93871f45ce84b8174941c23ae87c45b0465eb05ea8f6b7172d6600000000", "timestamp": 1731024600}""";
        var reply = Assert.IsType<GetBlockReply>(MessageDecoder.Decode(Encoding.UTF8.GetBytes(Spaced)).Message);
        Assert.NotNull(reply.Block);
        Assert.Equal(4, reply.Block.Height);
        Assert.Equal(["boxers", "hosed", "conjugations", "adagio's", "uncomplimentary"], reply.Block.Messages);
    }

    [Fact]
    public void Non_ascii_goes_out_as_utf8_not_escaped()
    {
        var bytes = MessageEncoder.Encode(new NewWord("protégé's"));
        Assert.Equal("""{"type":"NEW_WORD","word":"protégé's"}""", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Empty_chain_stats_reply_has_both_keys()
    {
        Assert.Equal("""{"type":"STATS_REPLY","height":0,"hash":null}""", Encoding.UTF8.GetString(MessageEncoder.Encode(new StatsReply(0, null))));
    }
}
