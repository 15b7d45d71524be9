using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

using Aviary.Probe;
using Aviary.Protocol;

namespace Aviary.Census;

/// <summary>
/// One census: join through the entry peer, grade peers as they are heard of (at most K at a time),
/// stop listening once the network is quiet, pick the best chain among the peers whose chains verify,
/// and place every peer's chain against it. Bounded in peers, rate per peer and total time.
/// </summary>
public sealed class CensusRun(CensusOptions options, Action<string>? progress = null)
{
    /// <summary>Longest one peer's grading may take.</summary>
    public static readonly TimeSpan PeerLimit = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Graded> graded = new(StringComparer.Ordinal);
    private int done;

    public async Task<CensusReport> RunAsync(CancellationToken cancel = default)
    {
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        total.CancelAfter(options.TotalLimit);
        var grader = new PeerGrader(options);
        using var discovery = new Discovery(options, [grader.ProbeName]);
        await discovery.StartAsync("(entry)", total.Token);
        progress?.Invoke($"census: joined through {options.Entry} as {options.AdvertisedHost}:{discovery.Port}; listening for peers");
        var workers = Enumerable.Range(0, Math.Max(1, options.Parallel)).Select(_ => WorkAsync(discovery, grader, watch, total.Token)).ToList();
        await ListenAsync(discovery, watch, total.Token);
        discovery.Complete();
        progress?.Invoke($"census: {discovery.Count} peers heard of in {watch.Elapsed.TotalSeconds:0.0} s; grading the rest");
        await Task.WhenAll(workers);

        var peers = discovery.All.Select(s => graded.TryGetValue(s.Address, out var g) ? g : new Graded(s, null, false, null, null)).ToList();
        var best = Best(peers);
        var places = new ConcurrentDictionary<string, ChainPlace>(StringComparer.Ordinal);
        if (best is not null && !total.IsCancellationRequested)
        {
            progress?.Invoke($"census: best chain {best.Height} @ {Evidence.Short(best.TopHash)}; placing each peer's chain against it");
            await PlaceAllAsync(peers, best, places, total.Token);
        }

        return new CensusReport
        {
            Entry = options.Entry.ToString(),
            StartedAt = started,
            Seconds = watch.Elapsed.TotalSeconds,
            Peers = [.. peers.Select(g => ToPeer(g, discovery.NameOf(g.Sighting.Address), places.GetValueOrDefault(g.Sighting.Address), total.IsCancellationRequested))],
            BestHeight = best?.Height,
            BestHash = best?.TopHash,
            Dropped = discovery.Dropped,
            TimeLimitReached = total.IsCancellationRequested && !cancel.IsCancellationRequested,
        };
    }

    private async Task ListenAsync(Discovery discovery, Stopwatch watch, CancellationToken cancel)
    {
        var rounds = 1;
        var nextRound = options.GossipEvery;
        try
        {
            while (watch.Elapsed < options.MaxListen && discovery.Count < options.MaxPeers)
            {
                if (rounds < options.MaxGossipRounds && watch.Elapsed >= nextRound)
                {
                    rounds++;
                    nextRound += options.GossipEvery;
                    await discovery.GossipToEntryAsync(cancel);
                }

                if (watch.Elapsed >= options.MinListen && DateTimeOffset.UtcNow - discovery.LastNew >= options.Quiet)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancel);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WorkAsync(Discovery discovery, PeerGrader grader, Stopwatch watch, CancellationToken cancel)
    {
        try
        {
            await foreach (var sighting in discovery.Found.ReadAllAsync(cancel))
            {
                graded[sighting.Address] = await GradeAsync(sighting, grader, watch, cancel);
                var g = graded[sighting.Address];
                var verdict = !g.Answered ? "no answer" : g.Report is { } r ? $"grade {r.Grade}" : "not graded";
                progress?.Invoke($"census: [{Interlocked.Increment(ref done)}/{discovery.Count}] {sighting.Address} \"{Evidence.Printable(discovery.NameOf(sighting.Address), 40)}\": {verdict}");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<Graded> GradeAsync(PeerSighting sighting, PeerGrader grader, Stopwatch watch, CancellationToken cancel)
    {
        var at = new IPEndPoint(IPAddress.Parse(sighting.Host), sighting.Port);
        var queries = new PeerQueries(at, options.ReplyTimeout, options.RequestsPerSecond);
        var (answered, stats) = await queries.StatsAsync(cancel);
        if (!answered)
        {
            return new Graded(sighting, queries, false, null, null);
        }

        var left = options.TotalLimit - watch.Elapsed;
        var report = await grader.GradeAsync(at, left < PeerLimit ? left : PeerLimit, cancel);
        return new Graded(sighting, queries, true, stats, report);
    }

    /// <summary>The longest claim among peers whose chain verified; ties go to the claim most peers hold.</summary>
    private static PeerReferenceChain? Best(List<Graded> peers)
    {
        var claims = peers
            .Where(g => g.Stats is { Height: >= 1, Hash: { } h } && Hex.IsHash(h) && g.Report is { } r && r.Checks.Any(c => c.Id == "chain.verifies" && c.Outcome == CheckOutcome.Pass))
            .GroupBy(g => (g.Stats!.Height!.Value, g.Stats.Hash!))
            .OrderByDescending(c => c.Key.Value)
            .ThenByDescending(c => c.Count())
            .ThenBy(c => c.Key.Item2, StringComparer.Ordinal)
            .FirstOrDefault();
        return claims is null ? null : new PeerReferenceChain(claims.Key.Value, claims.Key.Item2, [.. claims.Select(g => g.Queries!)]);
    }

    private async Task PlaceAllAsync(List<Graded> peers, PeerReferenceChain best, ConcurrentDictionary<string, ChainPlace> places, CancellationToken cancel)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, options.Parallel));
        await Task.WhenAll(peers.Where(g => g.Stats is not null && g.Report is not null).Select(async g =>
        {
            await slots.WaitAsync(cancel);
            try
            {
                places[g.Sighting.Address] = await ChainPlacement.PlaceAsync(g.Stats!.Height, g.Stats.Hash, best, g.Queries!, cancel);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                slots.Release();
            }
        }));
    }

    private static CensusPeer ToPeer(Graded g, string name, ChainPlace? place, bool outOfTime)
    {
        var report = g.Report;
        return new CensusPeer
        {
            Address = g.Sighting.Address,
            Name = name,
            HeardFrom = g.Sighting.HeardFrom,
            Answered = g.Answered,
            Height = g.Stats?.Height,
            Hash = g.Stats?.Hash,
            Place = place,
            Grade = report?.Grade,
            Passed = report?.Passed ?? 0,
            Failed = report?.Failed ?? 0,
            Failures = report is null ? [] : [.. report.Checks.Where(c => c.Outcome == CheckOutcome.Fail)],
            ChainVerified = report?.Checks.Any(c => c.Id == "chain.verifies" && c.Outcome == CheckOutcome.Pass) ?? false,
            Note = g.Queries is null ? (outOfTime ? "not reached: the census's time limit" : "not reached")
                : !g.Answered ? $"no reply to {g.Queries.Sent} STATS"
                : g.Stats is null ? "its STATS_REPLY does not decode"
                : report is null ? "not graded: the census's time limit"
                : null,
        };
    }

    private sealed record Graded(PeerSighting Sighting, PeerQueries? Queries, bool Answered, StatsReply? Stats, ProbeReport? Report);
}
