using System.Text.RegularExpressions;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Aviary.Cli;

/// <summary>
/// One line per entry: <c>HH:mm:ss level area  message</c>, no event ids; on a terminal hashes are
/// shortened and the level coloured. Counts read right ("1 thread", not "1 threads"). Output to a
/// file or a pipe keeps whole hashes, for the tools and tests that read them.
/// </summary>
internal sealed partial class CompactLogFormatter : ConsoleFormatter
{
    public new const string Name = "aviary";

    /// <summary>Nouns the logs count; "1 NOUNs" is written "1 NOUN".</summary>
    private static readonly string[] Counted = ["blocks", "threads", "messages", "peers", "datagrams", "workers", "retries", "claims", "nodes"];

    public CompactLogFormatter()
        : base(Name)
    {
    }

    /// <summary>Whether hashes are shortened and levels coloured (a terminal reads the output).</summary>
    public bool ForTerminal { get; init; } = !Console.IsOutputRedirected;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (logEntry.Exception is { } e)
        {
            message += $" ({e.GetType().Name}: {e.Message})";
        }

        textWriter.Write(Format(DateTimeOffset.Now, logEntry.LogLevel, logEntry.Category, message, ForTerminal));
        textWriter.Write(Environment.NewLine);
    }

    /// <summary>The text of one line (without its newline).</summary>
    public static string Format(DateTimeOffset at, LogLevel level, string category, string message, bool forTerminal)
    {
        var text = Plurals(message);
        var tag = Tag(level);
        if (forTerminal)
        {
            text = ShortHashes(text);
            tag = Colour(level) is { } colour ? $"\u001b[{colour}m{tag}\u001b[0m" : tag;
        }

        // On a terminal a progress bar may be drawn on the current line: erase it first so the entry never glues to it.
        var clear = forTerminal && ProgressLine.Drawn ? "\r\u001b[K" : string.Empty;
        return $"{clear}{at:HH:mm:ss} {tag} {Area(category),-6} {text}";
    }

    /// <summary>Every 64-hex hash as its first 10 characters (the end is the difficulty's zeros).</summary>
    public static string ShortHashes(string text) => Hash().Replace(text, m => $"{m.Value[..10]}…");

    private static string Plurals(string text)
    {
        foreach (var noun in Counted)
        {
            text = text.Replace($" 1 {noun}", $" 1 {Singular(noun)}", StringComparison.Ordinal);
        }

        return text.StartsWith("1 ", StringComparison.Ordinal) ? OneAtStart().Replace(text, m => $"1 {Singular(m.Groups[1].Value)}") : text;
    }

    private static string Singular(string noun) => noun.EndsWith("ies", StringComparison.Ordinal) ? noun[..^3] + "y" : noun[..^1];

    private static string Area(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot < 0 ? category : category[(dot + 1)..];
    }

    private static string Tag(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };

    private static string? Colour(LogLevel level) => level switch
    {
        LogLevel.Warning => "33",
        LogLevel.Error or LogLevel.Critical => "31",
        LogLevel.Trace or LogLevel.Debug => "90",
        _ => null,
    };

    [GeneratedRegex(@"\b[0-9a-f]{64}\b")]
    private static partial Regex Hash();

    [GeneratedRegex(@"^1 (blocks|threads|messages|peers|datagrams|workers|retries|claims|nodes)\b")]
    private static partial Regex OneAtStart();
}
