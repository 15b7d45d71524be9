using Microsoft.Extensions.Logging;

namespace Aviary.Cli;

/// <summary>One-line console logs with a time stamp, the level from <c>AVIARY_LOG</c> (default Information).</summary>
internal static class Logging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(builder =>
    {
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("AVIARY_LOG"), ignoreCase: true, out var l) ? l : LogLevel.Information;
        builder.SetMinimumLevel(level);

        // The dashboard's web server logs every request at Information; only its problems belong in a node's log.
        builder.AddFilter("Microsoft.AspNetCore", level > LogLevel.Warning ? level : LogLevel.Warning);
        builder.AddFilter("Microsoft.Hosting", level > LogLevel.Warning ? level : LogLevel.Warning);
        builder.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
    });
}
