using Aviary.Hosting;

namespace Aviary.Cli.Tests;

/// <summary>The sync commit batch of <c>aviary run</c>: unset keeps the node's default, a bad value is refused.</summary>
public sealed class CommitBatchSettingTests
{
    private static (bool Ok, NodeSettings Settings, string Error) Load(string? commitBatch)
    {
        var flags = new Dictionary<string, string?> { ["CommitBatch"] = commitBatch };
        var ok = NodeSettings.TryLoad(null, flags, [], out var settings, out var error);
        return (ok, settings, error);
    }

    [Fact]
    public void Unset_keeps_the_default()
    {
        var (ok, settings, _) = Load(null);
        Assert.True(ok);
        Assert.Null(settings.CommitBatch);
    }

    [Fact]
    public void A_whole_number_within_the_window_is_taken()
    {
        var (ok, settings, _) = Load("64");
        Assert.True(ok);
        Assert.Equal(64, settings.CommitBatch);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("8193")]
    [InlineData("many")]
    public void Zero_beyond_the_window_or_not_a_number_is_refused(string value)
    {
        var (ok, _, error) = Load(value);
        Assert.False(ok);
        Assert.Contains("commitbatch must be a whole number from 1 to 8192", error, StringComparison.Ordinal);
    }
}
