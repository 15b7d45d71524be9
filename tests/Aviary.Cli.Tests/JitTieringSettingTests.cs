using System.Text.Json;

namespace Aviary.Cli.Tests;

/// <summary>
/// The aviary executable's runtime settings that let a node sync at full speed right after it
/// starts (see the comment in Aviary.Cli.csproj): call counting from the first call, no dynamic
/// PGO step. They travel in aviary.runtimeconfig.json, in the build output and inside the single file.
/// </summary>
public sealed class JitTieringSettingTests
{
    [Fact]
    public void The_executable_counts_calls_from_the_first_and_skips_the_pgo_step()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "aviary.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(file));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(0, properties.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }
}
