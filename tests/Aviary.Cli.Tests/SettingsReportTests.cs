using Aviary.Hosting;

using Microsoft.Extensions.Logging;

namespace Aviary.Cli.Tests;

/// <summary>Settings a person got wrong are reported: an unknown key in <c>aviary.json</c>, a bad <c>AVIARY_LOG</c>.</summary>
public sealed class SettingsReportTests
{
    [Fact]
    public void An_unknown_key_in_the_config_file_is_refused_by_name()
    {
        var file = Path.Combine(Path.GetTempPath(), $"aviary-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "Port": 9001, "Difficuly": 6 }""");
        try
        {
            Assert.False(NodeSettings.TryLoad(file, new Dictionary<string, string?>(), [], out _, out var error));
            Assert.StartsWith($"unknown key \"Difficuly\" in {file}; known: ", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Known_keys_in_any_case_are_taken()
    {
        var file = Path.Combine(Path.GetTempPath(), $"aviary-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "port": 9001, "Difficulty": 6, "ResponseLimits": { "AddressReplies": 5 } }""");
        try
        {
            Assert.True(NodeSettings.TryLoad(file, new Dictionary<string, string?>(), [], out var settings, out var error), error);
            Assert.Equal(9001, settings.Port);
            Assert.Equal(6, settings.Difficulty);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(null, LogLevel.Information)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("Warning", LogLevel.Warning)]
    [InlineData("warn", LogLevel.Warning)]
    public void AVIARY_LOG_names_a_level(string? setting, LogLevel expected)
    {
        Assert.Equal(expected, Logging.Level(setting, out var problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("verbose")]
    [InlineData("3")]
    public void A_bad_AVIARY_LOG_is_reported_and_information_kept(string setting)
    {
        Assert.Equal(LogLevel.Information, Logging.Level(setting, out var problem));
        Assert.Equal($"aviary: AVIARY_LOG=\"{setting}\" names no log level (trace, debug, information, warning, error, critical, none); logging at information", problem);
    }
}
