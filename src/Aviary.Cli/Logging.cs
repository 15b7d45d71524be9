using Microsoft.Extensions.Logging;

namespace Aviary.Cli;

/// <summary>One-line console logs with a time stamp, the level from <c>AVIARY_LOG</c> (default Information).</summary>
internal static class Logging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(builder =>
    {
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("AVIARY_LOG"), ignoreCase: true, out var l) ? l : LogLevel.Information;
        builder.SetMinimumLevel(level);
        builder.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
    });
}
