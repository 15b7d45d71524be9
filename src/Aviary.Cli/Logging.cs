using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Aviary.Cli;

/// <summary>
/// Console logs in <see cref="CompactLogFormatter"/>'s one-line format, the level from
/// <c>AVIARY_LOG</c> (default Information; a value that names no level is reported on stderr).
/// </summary>
internal static class Logging
{
    private static readonly Dictionary<string, LogLevel> Levels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["trace"] = LogLevel.Trace,
        ["debug"] = LogLevel.Debug,
        ["information"] = LogLevel.Information,
        ["info"] = LogLevel.Information,
        ["warning"] = LogLevel.Warning,
        ["warn"] = LogLevel.Warning,
        ["error"] = LogLevel.Error,
        ["critical"] = LogLevel.Critical,
        ["none"] = LogLevel.None,
    };

    public static ILoggerFactory Create() => Create(Environment.GetEnvironmentVariable("AVIARY_LOG"), Console.Error);

    public static ILoggerFactory Create(string? setting, TextWriter error)
    {
        var level = Level(setting, out var problem);
        if (problem is not null)
        {
            error.WriteLine(problem);
        }

        return LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(level);

            // The dashboard's web server logs every request at Information; only its problems belong in a node's log.
            builder.AddFilter("Microsoft.AspNetCore", level > LogLevel.Warning ? level : LogLevel.Warning);
            builder.AddFilter("Microsoft.Hosting", level > LogLevel.Warning ? level : LogLevel.Warning);
            builder.AddConsole(o => o.FormatterName = CompactLogFormatter.Name);
            builder.AddConsoleFormatter<CompactLogFormatter, ConsoleFormatterOptions>();
        });
    }

    /// <summary>The level <c>AVIARY_LOG</c> names (Information when unset); <paramref name="problem"/> says why a value was not used.</summary>
    public static LogLevel Level(string? setting, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(setting))
        {
            return LogLevel.Information;
        }

        if (Levels.TryGetValue(setting.Trim(), out var level))
        {
            return level;
        }

        problem = $"aviary: AVIARY_LOG=\"{setting}\" names no log level (trace, debug, information, warning, error, critical, none); logging at information";
        return LogLevel.Information;
    }
}
