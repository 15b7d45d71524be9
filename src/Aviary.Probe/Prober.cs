using System.Diagnostics;
using System.Text.Json;

namespace Aviary.Probe;

/// <summary>
/// Checks one peer against the protocol (protocol.md) and grades it. Three UDP sockets of its own
/// (A sends requests, B is the originator its GOSSIP names, C watches for forwards); it sends to
/// the target only. Every check ends pass, fail or skip with evidence, and the run is bounded.
/// </summary>
public sealed partial class Prober(ProbeOptions options)
{
    /// <summary>The fields of a block, all null in the "no such block" reply (protocol.md §4).</summary>
    public static readonly IReadOnlyList<string> BlockFields = ["height", "minedBy", "nonce", "messages", "hash", "timestamp"];

    private const string StatsRequest = """{"type":"STATS"}""";

    private readonly List<CheckResult> results = [];
    private ProbeSocket a = null!;
    private ProbeSocket b = null!;
    private ProbeSocket c = null!;

    // What earlier checks learned, for later ones.
    private JsonElement? stats;
    private long? height;
    private string? topHash;
    private int? inferredDifficulty;
    private bool gossipAcknowledged;

    private string Advertise => options.Advertise ?? options.Bind.ToString();

    public async Task<ProbeReport> RunAsync(CancellationToken cancel = default)
    {
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(options.OverallLimit);
        var pacer = options.RequestsPerSecond is { } rate ? new RequestPacer(rate) : null;
        using (a = new ProbeSocket(options.Bind, options.Target, pacer))
        using (b = new ProbeSocket(options.Bind, options.Target, pacer))
        using (c = new ProbeSocket(options.Bind, options.Target, pacer))
        {
            var t = limit.Token;
            if (options.Introduce)
            {
                await IntroduceAsync(t);
            }

            await Run("stats.reply", "STATS is answered with a STATS_REPLY", StatsReplyAsync, t);
            await Run("stats.shape", "STATS_REPLY has an int height and a 64-hex hash (null and null for no chain)", StatsShapeAsync, t);
            await Run("stats.count", "STATS height counts blocks: block height-1 exists and has the STATS hash", StatsCountAsync, t);
            await Run("get_block.valid", "GET_BLOCK for heights it has returns those blocks, well-typed", GetBlockValidAsync, t);
            await Run("get_block.missing", "GET_BLOCK one past the top returns the all-null reply", GetBlockMissingAsync, t);
            await Run("get_block.negative", "GET_BLOCK -1 returns the all-null reply, not the top block", GetBlockNegativeAsync, t);
            await Run("get_block.non_integer", "GET_BLOCK with a non-integer height returns no block", GetBlockNonIntegerAsync, t);
            await Run("chain.verifies", "the chain it serves verifies from genesis", ChainVerifiesAsync, t);
            await Run("gossip.reply", "GOSSIP is answered with a GOSSIP_REPLY sent to the originator it names", GossipReplyAsync, t);
            await Run("gossip.forward_once", "a GOSSIP id is forwarded at most once", GossipForwardOnceAsync, t);
            await Run("consensus.stats", "CONSENSUS makes it ask its peers for STATS", ConsensusAsync, t);
            await Run("announce.adopted", "an ANNOUNCE of a valid next block is adopted", AnnounceAsync, t);
            await Run("malformed.survives", "junk, deep JSON and wrong types do not stop it answering STATS", MalformedAsync, t);
        }

        return new ProbeReport(options.Target.ToString(), started, watch.Elapsed.TotalSeconds, [.. results]);
    }

    private static (CheckOutcome, string) Pass(string evidence) => (CheckOutcome.Pass, evidence);

    private static (CheckOutcome, string) Fail(string evidence) => (CheckOutcome.Fail, evidence);

    private static (CheckOutcome, string) Skip(string evidence) => (CheckOutcome.Skip, evidence);

    private static string GetBlock(long h) => $$"""{"type":"GET_BLOCK","height":{{h}}}""";

    private static bool IsGetBlockReply(Datagram d) => d.Type is "GET_BLOCK_REPLY";

    private async Task Run(string id, string title, Func<CancellationToken, Task<(CheckOutcome, string)>> check, CancellationToken cancel)
    {
        if (options.Only is { } only && !only.Contains(id))
        {
            return;
        }

        if (cancel.IsCancellationRequested)
        {
            results.Add(new CheckResult(id, title, CheckOutcome.Skip, $"not run: the probe's time limit of {options.OverallLimit.TotalSeconds:0} s was reached"));
            return;
        }

        a.Drain();
        b.Drain();
        c.Drain();
        try
        {
            var (outcome, evidence) = await check(cancel);
            results.Add(new CheckResult(id, title, outcome, evidence));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            results.Add(new CheckResult(id, title, CheckOutcome.Skip, $"cut short: the probe's time limit of {options.OverallLimit.TotalSeconds:0} s was reached"));
        }
    }

    /// <summary>Sends <paramref name="request"/> up to <paramref name="attempts"/> times until a matching reply arrives.</summary>
    private async Task<Datagram?> AskAsync(ProbeSocket socket, string request, Func<Datagram, bool> match, CancellationToken cancel, int attempts = 3)
    {
        for (var i = 0; i < attempts; i++)
        {
            await socket.SendAsync(request, cancel);
            if (await socket.WaitAsync(match, options.ReplyTimeout, cancel) is { } reply)
            {
                return reply;
            }
        }

        return null;
    }

    private string Silence(int attempts) => $"no reply in {attempts} × {options.ReplyTimeout.TotalSeconds:0.#} s";

    /// <summary>True when every block field is null or absent; otherwise says which are not.</summary>
    private static bool IsNullForm(Datagram d, out string detail)
    {
        if (d.Json is not { } j)
        {
            detail = $"not a JSON object: {d.Show(120)}";
            return false;
        }

        var set = BlockFields.Where(f => !Evidence.IsNullOrAbsent(j, f)).ToList();
        detail = set.Count == 0
            ? $"all-null reply ({BlockFields.Count(f => j.TryGetProperty(f, out _))} of 6 fields present, all null)"
            : $"fields not null: {string.Join(", ", set.Select(f => $"{f} = {Evidence.Describe(j, f)}"))}";
        return set.Count == 0;
    }
}
