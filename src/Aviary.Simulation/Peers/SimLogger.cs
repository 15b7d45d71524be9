using System.Globalization;

using Microsoft.Extensions.Logging;

namespace Aviary.Simulation.Peers;

/// <summary>
/// Writes one simulated node's log lines with the virtual time since the run began, so a failing
/// seed can be replayed and read (<c>aviary sim --seed S --log h03</c>). Debug and above.
/// </summary>
public sealed class SimLogger(string name, VirtualClock clock, Action<string> write) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var level = logLevel switch
        {
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        write(string.Create(CultureInfo.InvariantCulture, $"+{clock.Elapsed.TotalSeconds,8:F3} s {name} {level}: {formatter(state, exception)}"));
    }
}
