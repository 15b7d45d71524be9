using Microsoft.Extensions.Logging;

namespace Aviary.Testing;

/// <summary>Keeps log lines in memory so a failing test can show what the core said.</summary>
public sealed class ListLogger : ILogger
{
    public List<string> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Add($"{logLevel}: {formatter(state, exception)}");

    public override string ToString() => string.Join(Environment.NewLine, Lines.TakeLast(40));
}
