namespace Aviary.Protocol.Tests;

/// <summary>Tolerance for how real senders shape their JSON (protocol.md §0, §2, §11).</summary>
public sealed class LenientParsingTests
{
    [Fact]
    public void Gossip_reply_with_a_hyphen_as_the_spec_prose_spells_it_is_accepted()
    {
        var reply = Wire.Expect<GossipReply>("""{"type":"GOSSIP-REPLY","host":"130.179.28.129","port":8755,"name":"Cole Chuchmach"}""");
        Assert.Equal(new GossipReply("130.179.28.129", 8755, "Cole Chuchmach"), reply);
        Assert.Equal(MessageTypes.GossipReply, reply.Type);
    }

    [Fact]
    public void Unknown_extra_keys_are_ignored()
    {
        // FidelioC stores STATS with host/port; Ali's genesis carries a type; one peer logs an addr tuple.
        var stats = Wire.Expect<StatsReply>("""{"type":"STATS_REPLY","height":4542,"hash":"caab6110a889deb0082812c2ef7213cd8aa1f58cd86c10885e1ad44000000000","host":"130.179.28.113","port":8999,"addr":["130.179.28.113",8999],"meta":{"v":1},"mined_by":null}""");
        Assert.Equal(new StatsReply(4542, "caab6110a889deb0082812c2ef7213cd8aa1f58cd86c10885e1ad44000000000"), stats);
    }

    [Fact]
    public void Key_order_does_not_matter()
    {
        const string Professor = """{"type": "GET_BLOCK_REPLY", "height": 2155, "minedBy": "Nico Rosberg", "nonce": "146424285", "messages": ["Jihan", "Park", "Mirha"], "hash": "6a90cf4e2ac46dd0f3b59e8a99673b4e800f08ac96731e1c35c2972900000000", "timestamp": 1733103931}""";
        const string Sorted = """{"hash":"6a90cf4e2ac46dd0f3b59e8a99673b4e800f08ac96731e1c35c2972900000000","height":2155,"messages":["Jihan","Park","Mirha"],"minedBy":"Nico Rosberg","nonce":"146424285","timestamp":1733103931,"type":"GET_BLOCK_REPLY"}""";
        const string TypeLast = """{"timestamp":1733103931,"nonce":"146424285","minedBy":"Nico Rosberg","messages":["Jihan","Park","Mirha"],"height":2155,"hash":"6a90cf4e2ac46dd0f3b59e8a99673b4e800f08ac96731e1c35c2972900000000","type":"GET_BLOCK_REPLY"}""";
        var expected = Wire.Expect<GetBlockReply>(Professor);
        Assert.NotNull(expected.Block);
        Assert.Equal(expected, Wire.Expect<GetBlockReply>(Sorted));
        Assert.Equal(expected, Wire.Expect<GetBlockReply>(TypeLast));
    }

    [Fact]
    public void A_repeated_key_keeps_the_last_value_as_python_does()
    {
        Assert.Equal(new NewWord("second"), Wire.Expect<NewWord>("""{"type":"NEW_WORD","word":"first","word":"second"}"""));
        Assert.IsType<Stats>(Wire.Decode("""{"type":"NEW_WORD","type":"STATS"}""").Message);

        var block = Wire.Expect<Announce>(Wire.BlockJson(type: "ANNOUNCE", minedBy: "\"Someone\",\"minedBy\":\"Nico Rosberg\"")).Block;
        Assert.Equal("Nico Rosberg", block.MinedBy);

        var messages = Wire.Expect<Announce>(Wire.BlockJson(type: "ANNOUNCE", messages: """["x","y","z","w"],"messages":["Jihan"]""")).Block.Messages;
        Assert.Equal(["Jihan"], messages);
    }

    [Fact]
    public void Escaped_key_names_match_their_unescaped_form()
    {
        Assert.IsType<Stats>(Wire.Decode("""{"\u0074ype":"STATS"}""").Message);
        Assert.Equal(new NewWord("hi"), Wire.Expect<NewWord>("""{"type":"NEW\u005fWORD","\u0077ord":"hi"}"""));
    }

    [Fact]
    public void Python_separators_and_surrounding_white_space_are_fine()
    {
        Assert.Equal(new GetBlock(4), Wire.Expect<GetBlock>(" \n{\"type\": \"GET_BLOCK\", \"height\": 4}\r\n"));
    }

    [Fact]
    public void Get_block_with_a_height_that_is_not_an_integer_is_still_a_request()
    {
        Assert.Equal(new GetBlock(null), Wire.Expect<GetBlock>("""{"type":"GET_BLOCK","height":"top"}"""));
        Assert.Equal(new GetBlock(null), Wire.Expect<GetBlock>("""{"type":"GET_BLOCK","height":1.5}"""));
        Assert.Equal(new GetBlock(null), Wire.Expect<GetBlock>("""{"type":"GET_BLOCK","height":null}"""));
        Assert.Equal(new GetBlock(null), Wire.Expect<GetBlock>("""{"type":"GET_BLOCK","height":[4]}"""));
        Assert.Equal(new GetBlock(17), Wire.Expect<GetBlock>("""{"type":"GET_BLOCK","height":"17"}"""));
    }

    [Fact]
    public void Get_block_with_a_negative_height_keeps_it_negative()
    {
        // Naive Python peers serve chain[-1]; we must see the -1 to answer with the null form.
        Assert.Equal(new GetBlock(-1), Wire.Expect<GetBlock>("""{"type":"GET_BLOCK","height":-1}"""));
        Assert.Equal(new GetBlock(-59382), Wire.Expect<GetBlock>("""{"type":"GET_BLOCK","height":-59382}"""));
    }

    [Fact]
    public void Gossip_id_may_be_a_number_and_name_may_be_absent()
    {
        Assert.Equal(new Gossip("130.179.28.37", 8999, "12345", string.Empty), Wire.Expect<Gossip>("""{"type":"GOSSIP","host":"130.179.28.37","port":8999,"id":12345}"""));
    }
}
