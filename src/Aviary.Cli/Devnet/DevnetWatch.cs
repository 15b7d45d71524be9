using System.Text.RegularExpressions;

namespace Aviary.Cli;

/// <summary>
/// What the devnet's nodes said, read from their log lines: each node's height and top, the
/// network's height, and a few recent network-wide events. Thread-safe (lines come from every
/// node's output thread).
/// </summary>
internal sealed partial class DevnetWatch(DevnetPlan plan)
{
    /// <summary>How many recent events are kept.</summary>
    public const int EventCount = 6;

    private readonly Lock gate = new();
    private readonly Dictionary<string, (long Height, string? Top, DateTimeOffset At)> heights = [];
    private readonly Queue<string> events = new();
    private long networkHeight = -1;

    public DevnetPlan Plan => plan;

    /// <summary>One line from node <paramref name="name"/>; returns the network-wide line it makes, if any (a new height, a warning).</summary>
    public string? Read(string name, string line, DateTimeOffset now)
    {
        lock (gate)
        {
            if (Committed().Match(line) is { Success: true } c)
            {
                // "committed height N" counts blocks: the top block's height is N - 1.
                var top = long.Parse(c.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) - 1;
                var hash = c.Groups[2].Value;
                heights[name] = (top, hash, now);
                if (top > networkHeight)
                {
                    networkHeight = top;
                    return Event(now, $"block {top} {CompactLogFormatter.ShortHashes(hash)}");
                }

                return null;
            }

            if (Warning().Match(line) is { Success: true } w)
            {
                return Event(now, $"{name} {w.Groups[1].Value}: {CompactLogFormatter.ShortHashes(w.Groups[2].Value)}");
            }

            if (Notable().Match(line) is { Success: true } n)
            {
                Event(now, $"{name} {CompactLogFormatter.ShortHashes(n.Groups[1].Value)}");
            }

            return null;
        }
    }

    /// <summary>Height, top and when it changed, per node that has said so.</summary>
    public (long Height, string? Top, DateTimeOffset At)? Of(string name)
    {
        lock (gate)
        {
            return heights.TryGetValue(name, out var h) ? h : null;
        }
    }

    /// <summary>The newest events, oldest first.</summary>
    public List<string> Events()
    {
        lock (gate)
        {
            return [.. events];
        }
    }

    private string Event(DateTimeOffset now, string text)
    {
        var line = $"{now.ToLocalTime():HH:mm:ss} {text}";
        events.Enqueue(line);
        while (events.Count > EventCount)
        {
            events.Dequeue();
        }

        return line;
    }

    [GeneratedRegex(@"chain: committed height (\d+) \(top ([0-9a-f]{64})\)")]
    private static partial Regex Committed();

    [GeneratedRegex(@"^\S+ (warn|fail|crit) +\S+ +(.*)$")]
    private static partial Regex Warning();

    [GeneratedRegex(@" info +\S+ +((sync: (fetching|at) |node \S+ \(|misbehav|reorg).*)$")]
    private static partial Regex Notable();
}
