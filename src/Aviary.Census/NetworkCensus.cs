using System.Net;

using Aviary.Probe;

namespace Aviary.Census;

/// <summary>How a node keeps its census.</summary>
public sealed record NetworkCensusOptions
{
    /// <summary>Peers remembered (the least recently heard forgotten first).</summary>
    public int Capacity { get; init; } = 1024;

    /// <summary>A peer not heard of for this long is forgotten.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>One peer is graded every this often (the one graded longest ago): slow on purpose.</summary>
    public TimeSpan GradeInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the node's membership is read into the table.</summary>
    public TimeSpan ReadInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Address the grading sockets bind to, and the host named in their GOSSIP.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Any;

    public string? Advertise { get; init; }

    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public double RequestsPerSecond { get; init; } = 10;

    public string Name { get; init; } = "aviary-census";
}

/// <summary>
/// A node's census, run beside the node (host side: sockets, a timer, the wall clock): it reads the
/// node's membership into a <see cref="CensusTable"/> and, one peer at a time at a slow pace, grades
/// a peer with the prober's read-only checks and places its chain against the node's own.
/// </summary>
public sealed class NetworkCensus(NetworkCensusOptions options, Func<CancellationToken, Task<NodeReading>> read, Func<long, CancellationToken, Task<string?>> hashAt)
{
    private NodeReading? last;

    public CensusTable Table { get; } = new(options.Capacity, options.Retention);

    public NetworkCensusOptions Options { get; } = options;

    /// <summary>The name the grading sockets gossip under: the node hears of them from its peers, but they are no peers.</summary>
    public string ProbeName => $"{Options.Name}-probe";

    /// <summary>Gradings done since start.</summary>
    public long Gradings { get; private set; }

    /// <summary>The network as the census sees it now (for the Network page's JSON).</summary>
    public NetworkView View() => NetworkView.From(Table, last, Options, DateTimeOffset.UtcNow);

    /// <summary>Reads and grades until <paramref name="stop"/>; a failed read or grading is retried at the next tick, not in a loop.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var nextGrade = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(Math.Min(5, Options.GradeInterval.TotalSeconds));
        using var timer = new PeriodicTimer(Options.ReadInterval < Options.GradeInterval ? Options.ReadInterval : Options.GradeInterval);
        try
        {
            do
            {
                await ReadOnceAsync(stop);
                if (DateTimeOffset.UtcNow >= nextGrade)
                {
                    nextGrade = DateTimeOffset.UtcNow + Options.GradeInterval;
                    await GradeNextAsync(stop);
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the node's peers into the table once.</summary>
    public async Task ReadOnceAsync(CancellationToken stop)
    {
        try
        {
            var reading = await read(stop);
            last = reading;
            foreach (var p in reading.Peers.Where(p => p.Name != ProbeName))
            {
                Table.Heard($"{p.Host}:{p.Port}", p.Name, p.LastHeard, p.Height, p.Hash, p.StatsAt);
            }

            Table.Expire(DateTimeOffset.UtcNow);
        }
        catch (TimeoutException)
        {
            // The node's thread is busy or stopping: the next tick reads again.
        }
    }

    /// <summary>Grades the peer graded longest ago; false when there is none to grade.</summary>
    public async Task<bool> GradeNextAsync(CancellationToken stop)
    {
        if (Table.NextToGrade() is not { } entry || last is not { } node)
        {
            return false;
        }

        var at = Parse(entry.Address);
        if (at is null)
        {
            Table.Graded(entry.Address, e => e with { GradedAt = DateTimeOffset.UtcNow, Answered = false, Grade = null });
            return true;
        }

        var queries = new PeerQueries(at, Options.ReplyTimeout, Options.RequestsPerSecond);
        var (answered, stats) = await queries.StatsAsync(stop);
        ProbeReport? report = null;
        ChainPlace? place = null;
        if (answered)
        {
            var census = new CensusOptions { Entry = at, Bind = Options.Bind, Advertise = Options.Advertise, ReplyTimeout = Options.ReplyTimeout, RequestsPerSecond = Options.RequestsPerSecond, Name = Options.Name };
            report = await new PeerGrader(census).GradeAsync(at, CensusRun.PeerLimit, stop);
            place = await ChainPlacement.PlaceAsync(stats?.Height, stats?.Hash, new NodeChain(node.Height, node.TopHash, hashAt), queries, stop);
        }

        var now = DateTimeOffset.UtcNow;
        Table.Graded(entry.Address, e => e with
        {
            GradedAt = now,
            Answered = answered,
            Grade = report?.Grade,
            Passed = report?.Passed ?? 0,
            Failed = report?.Failed ?? 0,
            Failures = report is null ? [] : [.. report.Checks.Where(c => c.Outcome == CheckOutcome.Fail)],
            Place = place,
            Height = stats is not null ? stats.Height : e.Height,
            Hash = stats is not null ? stats.Hash : e.Hash,
            ClaimAt = stats is not null ? now : e.ClaimAt,
        });
        Gradings++;
        return true;
    }

    private static IPEndPoint? Parse(string address) => IPEndPoint.TryParse(address, out var at) && at.Port > 0 ? at : null;

    /// <summary>The node's own chain as the reference: its hashes read on the node's thread.</summary>
    private sealed class NodeChain(long height, string? topHash, Func<long, CancellationToken, Task<string?>> hashAt) : IReferenceChain
    {
        public long Height { get; } = height;

        public string? TopHash { get; } = topHash;

        public Task<string?> HashAtAsync(long height, CancellationToken cancel) => hashAt(height, cancel);
    }
}
