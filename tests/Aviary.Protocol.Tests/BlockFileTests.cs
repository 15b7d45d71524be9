namespace Aviary.Protocol.Tests;

/// <summary>The chain file: written and read back, and bad entries reported, never thrown.</summary>
public sealed class BlockFileTests
{
    private static readonly Block Sample = new(2013, "leorize", "*Ic\u001dB:D\u0012e?\u001a\u0018U2K&", ["protégé's", "\"quoted\""], Wire.Hash, 1700000000);

    [Fact]
    public void Written_blocks_read_back_equal()
    {
        using var file = new MemoryStream();
        BlockFile.Write([Sample, Sample with { Height = 2014, Messages = [] }], file);
        Assert.True(BlockFile.TryRead(file.ToArray(), out var blocks, out var error), error);
        Assert.Equal([Sample, Sample with { Height = 2014, Messages = [] }], blocks);
    }

    [Theory]
    [InlineData("""{"height":1,"minedBy":"m","nonce":"\ud800","messages":["a"],"hash":"6a90cf4e2ac46dd0f3b59e8a99673b4e800f08ac96731e1c35c2972900000000","timestamp":1}""")]
    [InlineData("""{"height":1,"minedBy":"m","nonce":"n","messages":["a"],"hash":"6a90cf4e2ac46dd0f3b59e8a99673b4e800f08ac96731e1c35c2972900000000","timestamp":1""")]
    [InlineData("""[1]""")]
    public void A_bad_block_is_a_rejection_not_an_exception(string json)
    {
        var (block, rejection) = BlockFile.DecodeBlock(Wire.Bytes(json));
        Assert.Null(block);
        Assert.NotNull(rejection);
    }

    [Fact]
    public void Invalid_utf8_in_a_block_is_a_rejection_not_an_exception()
    {
        var parts = Wire.BlockJson(minedBy: "\"X\"").Split('X');
        byte[] json = [.. Wire.Bytes(parts[0]), 0xFF, .. Wire.Bytes(parts[1])];
        var (block, rejection) = BlockFile.DecodeBlock(json);
        Assert.Null(block);
        Assert.Equal(RejectionReason.NotJson, rejection?.Reason);
    }

    [Fact]
    public void A_file_with_a_bad_entry_names_the_entry()
    {
        var json = "[" + Wire.BlockJson() + ",{\"height\":\"x\"}]";
        Assert.False(BlockFile.TryRead(Wire.Bytes(json), out _, out var error));
        Assert.StartsWith("entry 1:", error, StringComparison.Ordinal);
    }
}
