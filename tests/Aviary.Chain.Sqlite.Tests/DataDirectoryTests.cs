namespace Aviary.Chain.Sqlite.Tests;

/// <summary>The default data directory: XDG_DATA_HOME when absolute, else local application data; one folder per network.</summary>
public sealed class DataDirectoryTests
{
    [Fact]
    public void Xdg_data_home_wins_when_absolute()
    {
        var root = Path.Combine(Path.GetTempPath(), "xdg");
        Assert.Equal(Path.Combine(root, "aviary", "main"), DataDirectory.Default("main", root, "/elsewhere"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/dir")]
    public void Otherwise_local_application_data(string? xdg)
    {
        var local = Path.Combine(Path.GetTempPath(), "local");
        Assert.Equal(Path.Combine(local, "aviary", "devnet-3"), DataDirectory.Default("devnet-3", xdg, local));
    }

    [Fact]
    public void The_default_ends_in_aviary_and_the_network()
    {
        var dir = DataDirectory.Default("test");
        Assert.True(Path.IsPathFullyQualified(dir));
        Assert.EndsWith(Path.Combine("aviary", "test"), dir, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("sp ace")]
    public void Unsafe_network_names_are_refused(string name)
    {
        Assert.False(DataDirectory.IsValidNetworkName(name));
        Assert.Throws<ArgumentException>(() => DataDirectory.Default(name, "/x", "/y"));
    }

    [Fact]
    public void Data_option_replaces_the_whole_path()
    {
        var given = Path.Combine(Path.GetTempPath(), "mine");
        Assert.Equal(given, DataDirectory.Resolve(given, "main"));
        Assert.Equal(DataDirectory.Default("main"), DataDirectory.Resolve(null, "main"));
        Assert.Equal(Path.Combine(given, "chain.db"), DataDirectory.ChainDatabase(given));
    }
}
