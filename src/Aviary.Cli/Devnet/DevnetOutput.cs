namespace Aviary.Cli;

/// <summary>Where the devnet's own words and its nodes' log lines go.</summary>
internal interface IDevnetOutput
{
    /// <summary>A line of the devnet itself (its banner, a node that exited, stopping).</summary>
    void Say(string text);

    /// <summary>A log line from node <paramref name="name"/>.</summary>
    void Line(string name, string line);
}

/// <summary><c>--logs</c>: every node's raw log lines, prefixed by the node's name.</summary>
internal sealed class RawLogsOutput(TextWriter output) : IDevnetOutput
{
    private readonly Lock console = new();

    public void Say(string text)
    {
        lock (console)
        {
            output.WriteLine(text);
            output.Flush();
        }
    }

    public void Line(string name, string line) => Say($"{name,-9} | {line}");
}

/// <summary>
/// Output to a pipe or a file: calm, one line per block for the whole network (the first node to
/// commit it), plus the nodes' warnings and errors.
/// </summary>
internal sealed class CalmOutput(TextWriter output, DevnetWatch watch) : IDevnetOutput
{
    private readonly RawLogsOutput say = new(output);

    public void Say(string text) => say.Say(text);

    public void Line(string name, string line)
    {
        if (watch.Read(name, line, DateTimeOffset.UtcNow) is { } network)
        {
            say.Say(network);
        }
    }
}
