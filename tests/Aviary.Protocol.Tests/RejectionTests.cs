using System.Text;

namespace Aviary.Protocol.Tests;

/// <summary>One realistic datagram per <see cref="RejectionReason"/>: the decoder names the right reason.</summary>
public sealed class RejectionTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n\t ")]
    public void Nothing_but_white_space_is_Empty(string datagram) =>
        Wire.Rejected(RejectionReason.Empty, datagram);

    [Fact]
    public void Over_64_KiB_is_TooLarge_before_any_parsing()
    {
        // Not JSON at all: were it parsed, it would be NotJson. Only the size is looked at.
        var junk = new byte[WireLimits.MaxInboundDatagram + 1];
        junk.AsSpan().Fill((byte)'x');
        Wire.Rejected(RejectionReason.TooLarge, junk);

        var before = GC.GetAllocatedBytesForCurrentThread();
        MessageDecoder.Decode(junk);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024, "a datagram over the limit must not be read");
    }

    [Fact]
    public void Exactly_64_KiB_is_still_parsed()
    {
        var padded = Encoding.UTF8.GetBytes("{\"type\":\"STATS\"}".PadRight(WireLimits.MaxInboundDatagram));
        Assert.IsType<Stats>(MessageDecoder.Decode(padded).Message);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("{\"type\":\"STATS\",}")]
    [InlineData("{'type':'STATS'}")]
    [InlineData("{\"type\":\"STATS\"} trailing")]
    public void Invalid_json_is_NotJson(string datagram) =>
        Wire.Rejected(RejectionReason.NotJson, datagram);

    [Fact]
    public void A_datagram_cut_short_by_a_1024_byte_buffer_is_NotJson_not_TooDeep()
    {
        // recv(1024) truncation: the object is never closed.
        var full = Wire.BlockJson(messages: "[" + string.Join(",", Enumerable.Repeat("\"a message of twenty\"", 48)) + "]");
        Assert.True(full.Length > 1024);
        for (var length = 1000; length <= 1024; length++)
        {
            Wire.Rejected(RejectionReason.NotJson, Wire.Bytes(full)[..length]);
        }

        // Cut right after a complete token, so only the unclosed object or list is wrong.
        Wire.Rejected(RejectionReason.NotJson, "{\"type\":\"STATS\"");
        Wire.Rejected(RejectionReason.NotJson, "{\"type\":\"STATS\",");
        Wire.Rejected(RejectionReason.NotJson, "{\"type\":\"GET_BLOCK_REPLY\",\"messages\":[\"a\",\"b\"");
        Wire.Rejected(RejectionReason.NotJson, "[\"Empty Chain\"");
    }

    [Fact]
    public void Invalid_utf8_is_NotJson()
    {
        // A Latin-1 "protégé" where UTF-8 is required.
        byte[] latin1 = [.. Wire.Bytes("""{"type":"NEW_WORD","word":"prot"""), 0xE9, .. Wire.Bytes("g"), 0xE9, .. Wire.Bytes("\"}")];
        Wire.Rejected(RejectionReason.NotJson, latin1);
    }

    [Fact]
    public void Invalid_utf8_in_an_ignored_key_is_NotJson_too()
    {
        byte[] datagram = [.. Wire.Bytes("""{"type":"STATS","note":"""), (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)'}'];
        Wire.Rejected(RejectionReason.NotJson, datagram);
    }

    [Theory]
    [InlineData("""{"type":"STATS","extra":[[[[[[[[[1]]]]]]]]]}""")]
    [InlineData("""[[[[[[[[[["Empty Chain"]]]]]]]]]]""")]
    [InlineData("""{"type":"ANNOUNCE","messages":[{"a":{"b":{"c":{"d":{"e":{"f":{"g":1}}}}}}}]}""")]
    public void Nesting_deeper_than_the_limit_is_TooDeep(string datagram) =>
        Wire.Rejected(RejectionReason.TooDeep, datagram);

    [Fact]
    public void Nesting_at_the_limit_is_accepted()
    {
        // Depth 8 exactly: the object and seven arrays.
        Assert.IsType<Stats>(Wire.Decode("""{"type":"STATS","extra":[[[[[[[1]]]]]]]}""").Message);
    }

    [Theory]
    [InlineData("""["Empty Chain"]""")]
    [InlineData("""["Sorry, seems we don't have 17"]""")]
    [InlineData("\"STATS\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public void Json_that_is_not_an_object_is_NotObject(string datagram) =>
        Wire.Rejected(RejectionReason.NotObject, datagram);

    [Theory]
    [InlineData("""{"height":4}""")]
    [InlineData("""{"type":null}""")]
    [InlineData("""{"type":7,"height":4}""")]
    [InlineData("""{"TYPE":"STATS"}""")]
    public void An_object_without_a_string_type_is_MissingType(string datagram) =>
        Wire.Rejected(RejectionReason.MissingType, datagram);

    [Theory]
    [InlineData("""{"type":"FLOOD","host":"130.179.28.37","port":8999,"id":"1","name":"old"}""")]
    [InlineData("""{"type":"FLOOD-REPLY","host":"130.179.28.37","port":8999,"name":"old"}""")]
    [InlineData("""{"type":"FLOOD_REPLY","host":"130.179.28.37","port":8999,"name":"old"}""")]
    [InlineData("""{"type":"stats"}""")]
    public void A_type_this_protocol_does_not_have_is_UnknownType(string datagram)
    {
        var rejection = Wire.Rejected(RejectionReason.UnknownType, datagram);
        Assert.Contains(datagram.Split('"')[3], rejection.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"GET_BLOCK"}""", "height")]
    [InlineData("""{"type":"GOSSIP","host":"130.179.28.37","id":"x","name":"n"}""", "port")]
    [InlineData("""{"type":"GOSSIP_REPLY","port":8999,"name":"n"}""", "host")]
    [InlineData("""{"type":"NEW_WORD"}""", "word")]
    [InlineData("""{"type":"ANNOUNCE","height":1,"minedBy":"m","nonce":"1","messages":["a"],"hash":"6a90cf4e2ac46dd0f3b59e8a99673b4e800f08ac96731e1c35c2972900000000"}""", "timestamp")]
    public void A_needed_field_that_is_absent_is_MissingField(string datagram, string field)
    {
        var rejection = Wire.Rejected(RejectionReason.MissingField, datagram);
        Assert.Contains(field, rejection.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"NEW_WORD","word":42}""", "word")]
    [InlineData("""{"type":"GOSSIP","host":"130.179.28.37","port":"eighty","id":"x","name":"n"}""", "port")]
    [InlineData("""{"type":"GOSSIP","host":"130.179.28.37","port":70000,"id":"x","name":"n"}""", "port")]
    [InlineData("""{"type":"GOSSIP","host":["130.179.28.37"],"port":8999,"id":"x","name":"n"}""", "host")]
    [InlineData("""{"type":"GOSSIP","host":"\u0001\u0000","port":8999,"id":"x","name":"n"}""", "host")]
    [InlineData("""{"type":"GOSSIP_REPLY","host":"10.0.0.1 ; rm","port":8999,"name":"n"}""", "host")]
    [InlineData("""{"type":"ANNOUNCE","height":1,"minedBy":"m","nonce":"1","messages":"a","hash":"6a90cf4e2ac46dd0f3b59e8a99673b4e800f08ac96731e1c35c2972900000000","timestamp":1}""", "messages")]
    [InlineData("""{"type":"ANNOUNCE","height":1,"minedBy":"m","nonce":"1","messages":["a",2],"hash":"6a90cf4e2ac46dd0f3b59e8a99673b4e800f08ac96731e1c35c2972900000000","timestamp":1}""", "messages")]
    public void A_field_of_the_wrong_kind_is_BadField(string datagram, string field)
    {
        var rejection = Wire.Rejected(RejectionReason.BadField, datagram);
        Assert.Contains(field, rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_over_the_limit_is_TooLong()
    {
        var name = new string('n', WireLimits.MaxStringLength + 1);
        Wire.Rejected(RejectionReason.TooLong, $$"""{"type":"GOSSIP","host":"130.179.28.37","port":8999,"id":"x","name":"{{name}}"}""");
    }

    [Fact]
    public void A_message_list_over_the_limit_is_TooLong()
    {
        var messages = "[" + string.Join(",", Enumerable.Repeat("\"w\"", WireLimits.MaxMessages + 1)) + "]";
        Wire.Rejected(RejectionReason.TooLong, Wire.BlockJson(type: "ANNOUNCE", messages: messages));
    }

    [Fact]
    public void Every_reason_has_a_test_here()
    {
        // Guards this file: a new reason code needs its own realistic example above.
        Assert.Equal(10, Enum.GetValues<RejectionReason>().Length);
    }
}
