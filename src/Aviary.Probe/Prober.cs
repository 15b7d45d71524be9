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

    /// <summary>How far above a grown top the missing-block check asks: more than a chain grows during a probe.</summary>
    private const long GrowthMargin = 1000;

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
    private Datagram? firstContact;

    /// <summary>The host our GOSSIP names: the one given, else the address our sockets are bound to (so replies reach them).</summary>
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

            var contact = await FirstContactAsync(t);
            if (contact.Reply is null && !t.IsCancellationRequested)
            {
                return Unanswered(started, watch.Elapsed, contact.Why);
            }

            firstContact = contact.Reply;
            await Run("stats.reply", StatsReplyAsync, t);
            await Run("stats.shape", StatsShapeAsync, t);
            await Run("stats.count", StatsCountAsync, t);
            await Run("get_block.valid", GetBlockValidAsync, t);
            await Run("get_block.missing", GetBlockMissingAsync, t);
            await Run("get_block.negative", GetBlockNegativeAsync, t);
            await Run("get_block.non_integer", GetBlockNonIntegerAsync, t);
            await Run("chain.verifies", ChainVerifiesAsync, t);
            await Run("gossip.reply", GossipReplyAsync, t);
            await Run("gossip.forward_once", GossipForwardOnceAsync, t);
            await Run("consensus.stats", ConsensusAsync, t);
            await Run("announce.adopted", AnnounceAsync, t);
            await Run("malformed.survives", MalformedAsync, t);
        }

        return new ProbeReport(options.Target.ToString(), started, watch.Elapsed.TotalSeconds, [.. results]);
    }

    private static bool IsStatsLike(Datagram d) => d.Type is "STATS_REPLY" || (d.Type is null && d.Json is { } j && j.TryGetProperty("height", out _));

    private static (CheckOutcome, string) Pass(string evidence) => (CheckOutcome.Pass, evidence);

    private static (CheckOutcome, string) Fail(string evidence) => (CheckOutcome.Fail, evidence);

    private static (CheckOutcome, string) Skip(string evidence) => (CheckOutcome.Skip, evidence);

    private static string GetBlock(long h) => $$"""{"type":"GET_BLOCK","height":{{h}}}""";

    private static bool IsGetBlockReply(Datagram d) => d.Type is "GET_BLOCK_REPLY";

    private async Task Run(string id, Func<CancellationToken, Task<(CheckOutcome, string)>> check, CancellationToken cancel)
    {
        var title = Title(id);
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
