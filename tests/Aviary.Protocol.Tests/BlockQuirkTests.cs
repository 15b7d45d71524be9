using System.Text;

namespace Aviary.Protocol.Tests;

/// <summary>The GET_BLOCK_REPLY and ANNOUNCE shapes real peers send (protocol.md §4, §5, §8).</summary>
public sealed class BlockQuirkTests
{
    // The nonce of block 2013 of the Fall 2023 main chain (miner "leorize"), as JSON escapes.
    private const string ControlNonceJson = "\"*Ic\\u001dB:D\\u0012e?\\u001a\\u0018U2K&\"";
    private const string ControlNonce = "*Ic\u001dB:D\u0012e?\u001a\u0018U2K&";

    [Theory]
    [InlineData("""{"type":"GET_BLOCK_REPLY","hash":null,"height":null,"messages":null,"minedBy":null,"nonce":null,"timestamp":null}""")]
    [InlineData("""{"type": "GET_BLOCK_REPLY", "height": null, "minedBy": null, "nonce": null, "messages": null, "hash": null, "timestamp": null}""")]
    [InlineData("""{"type":"GET_BLOCK_REPLY","height":"None","minedBy":"None","nonce":"None","messages":"None","hash":"None","timestamp":"None"}""")]
    [InlineData("""{"type":"GET_BLOCK_REPLY","height":"null","minedBy":"null","nonce":"null","messages":"null","hash":"null","timestamp":"null"}""")]
    [InlineData("""{"type":"GET_BLOCK_REPLY","height":null,"minedBy":null,"nonce":null,"messages":null,"hash":null,"timestamp":1731024600.123456}""")]
    [InlineData("""{"type":"GET_BLOCK_REPLY","height":null,"minedBy":null,"minedBy":null,"messages":null,"hash":null}""")]
    [InlineData("""{"type":"GET_BLOCK_REPLY"}""")]
    public void Every_no_such_block_form_decodes_to_Missing(string datagram)
    {
        var reply = Wire.Expect<GetBlockReply>(datagram);
        Assert.Same(GetBlockReply.Missing, reply);
        Assert.Null(reply.Block);
    }

    [Fact]
    public void An_integer_nonce_in_an_announce_is_BadField()
    {
        // RamatjyotSingh/Blockchain:announce.py hard-codes nonce 844240035 as a JSON integer.
        var rejection = Wire.Rejected(RejectionReason.BadField, Wire.BlockJson(type: "ANNOUNCE", nonce: "844240035"));
        Assert.Contains("nonce", rejection.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ANNOUNCE", "1733103931.0")]
    [InlineData("ANNOUNCE", "1733103931.52")]
    [InlineData("GET_BLOCK_REPLY", "1733103931.52")]
    [InlineData("GET_BLOCK_REPLY", "1.733103931e9")]
    public void A_float_timestamp_in_a_block_is_BadField(string type, string timestamp)
    {
        var rejection = Wire.Rejected(RejectionReason.BadField, Wire.BlockJson(type: type, timestamp: timestamp));
        Assert.Contains("timestamp", rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_timestamp_in_a_block_is_BadField()
    {
        Wire.Rejected(RejectionReason.BadField, Wire.BlockJson(type: "ANNOUNCE", timestamp: "\"1733103931\""));
    }

    [Fact]
    public void A_nonce_with_control_characters_decodes_exactly_and_round_trips()
    {
        var block = Wire.Expect<GetBlockReply>(Wire.BlockJson(height: "2013", minedBy: "\"leorize\"", nonce: ControlNonceJson)).Block;
        Assert.NotNull(block);
        Assert.Equal(ControlNonce, block.Nonce);
        Assert.Equal(16, block.Nonce.Length);

        var wire = MessageEncoder.Encode(new GetBlockReply(block));
        Assert.DoesNotContain(wire, b => b < 0x20); // control characters go out escaped
        Assert.Equal(new GetBlockReply(block), MessageDecoder.Decode(wire).Message);
        Assert.Equal(new Announce(block), MessageDecoder.Decode(MessageEncoder.Encode(new Announce(block))).Message);
    }

    [Fact]
    public void Non_ascii_messages_decode_from_utf8_and_from_escapes_alike()
    {
        // Block 2014 of the Fall 2023 main chain holds "protégé's"; Python escapes it as \u00e9.
        var raw = Wire.Expect<Announce>(Wire.BlockJson(type: "ANNOUNCE", messages: "[\"protégé's\"]")).Block;
        var escaped = Wire.Expect<Announce>(Wire.BlockJson(type: "ANNOUNCE", messages: """["prot\u00e9g\u00e9's"]""")).Block;
        Assert.Equal("protégé's", raw.Messages[0]);
        Assert.Equal(raw, escaped);
        Assert.Contains("protégé's", Encoding.UTF8.GetString(MessageEncoder.Encode(new Announce(raw))), StringComparison.Ordinal);
    }

    [Fact]
    public void A_reply_with_a_height_and_a_malformed_hash_is_BadField_not_Missing()
    {
        Wire.Rejected(RejectionReason.BadField, Wire.BlockJson(hash: "\"6A90CF4E\""));
    }

    [Fact]
    public void The_block_height_may_come_as_a_numeric_string()
    {
        var block = Wire.Expect<GetBlockReply>(Wire.BlockJson(height: "\"2155\"")).Block;
        Assert.Equal(2155, block?.Height);
    }

    [Fact]
    public void A_block_carrying_extra_keys_still_decodes()
    {
        var json = Wire.BlockJson(type: "ANNOUNCE").Replace("\"timestamp\"", "\"addr\":[\"127.0.0.1\",8000],\"prev\":null,\"timestamp\"", StringComparison.Ordinal);
        Assert.Equal(2155, Wire.Expect<Announce>(json).Block.Height);
    }
}
