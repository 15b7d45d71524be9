using Aviary.Chain;
using Aviary.Mining;
using Aviary.Protocol;

namespace Aviary.Probe;

/// <summary>Fetching and verifying the served chain; ANNOUNCE adoption (protocol.md §5, §8).</summary>
public sealed partial class Prober
{
    /// <summary>GET_BLOCKs kept in flight while fetching the chain.</summary>
    private const int FetchWindow = 32;

    /// <summary>Sends of one GET_BLOCK before the fetch gives up on that height.</summary>
    private const int FetchTries = 5;

    private async Task<(CheckOutcome, string)> ChainVerifiesAsync(CancellationToken cancel)
    {
        if (height is not { } h || h < 1)
        {
            return Skip("the peer claims no chain");
        }

        var n = (int)Math.Min(h, options.MaxBlocks);
        var (blocks, problem) = await FetchAsync(n, cancel);
        if (blocks is null)
        {
            return Fail(problem);
        }

        inferredDifficulty = blocks.Min(x => Hex.TrailingZeros(x.Hash));
        var difficulty = options.Difficulty ?? inferredDifficulty.Value;
        var source = options.Difficulty is null ? "inferred: the fewest trailing zeros served" : "given";
        string? previous = null;
        for (var i = 0; i < blocks.Count; i++)
        {
            var verdict = BlockValidator.Validate(blocks[i], previous, i, difficulty);
            if (!verdict.IsValid)
            {
                return Fail($"block {i} ({Evidence.Short(blocks[i].Hash)}): {verdict}");
            }

            previous = blocks[i].Hash;
        }

        if (n == h && previous != topHash)
        {
            return Fail($"{n} blocks verify, but the top is {Evidence.Short(previous)}, not the STATS hash {Evidence.Short(topHash)}");
        }

        var extent = n == h ? $"all {n:N0} blocks, top = STATS hash" : $"the first {n:N0} of {h:N0} blocks (the probe's bound)";
        return Pass($"{extent} verify from genesis at difficulty {difficulty} ({source})");
    }

    /// <summary>Fetches blocks 0…n-1 with a window of requests in flight, resending lost ones.</summary>
    private async Task<(List<Block>? Blocks, string Problem)> FetchAsync(int n, CancellationToken cancel)
    {
        var blocks = new Block?[n];
        var got = 0;
        var next = 0L;
        var inFlight = new Dictionary<long, (DateTimeOffset Sent, int Tries)>();
        string? lastBad = null;

        // Under a request rate, keep no more in flight than the pace sends in half a reply timeout,
        // or paced resends of requests whose replies are already waiting would use up their tries.
        var window = options.RequestsPerSecond is { } rate ? Math.Clamp((int)(rate * options.ReplyTimeout.TotalSeconds / 2), 1, FetchWindow) : FetchWindow;
        while (got < n)
        {
            while (inFlight.Count < window && next < n)
            {
                await a.SendAsync(GetBlock(next), cancel);
                inFlight[next++] = (DateTimeOffset.UtcNow, 1);
            }

            if (await a.WaitAsync(IsGetBlockReply, TimeSpan.FromMilliseconds(100), cancel) is { } reply)
            {
                var (block, rejection) = BlockFile.DecodeBlock(reply.Bytes);
                if (block is not null && inFlight.Remove(block.Height))
                {
                    blocks[block.Height] = block;
                    got++;
                }
                else if (block is null)
                {
                    lastBad = IsNullForm(reply, out _) ? "the all-null reply (no such block)" : $"{rejection}: {reply.Show(120)}";
                }
            }

            var now = DateTimeOffset.UtcNow;
            foreach (var (at, (sent, tries)) in inFlight.Where(e => now - e.Value.Sent > options.ReplyTimeout).ToList())
            {
                if (tries >= FetchTries)
                {
                    return (null, $"block {at}: no usable reply after {FetchTries} requests{(lastBad is null ? string.Empty : $"; last unusable reply: {lastBad}")}");
                }

                await a.SendAsync(GetBlock(at), cancel);
                inFlight[at] = (now, tries + 1);
            }
        }

        return ([.. blocks.Select(x => x!)], string.Empty);
    }

    private async Task<(CheckOutcome, string)> AnnounceAsync(CancellationToken cancel)
    {
        if (!options.Announce)
        {
            return Skip("not run (--no-announce)");
        }

        if (height is not { } h || h < 1 || topHash is null)
        {
            return Skip("the peer claims no chain to extend");
        }

        var difficulty = options.Difficulty ?? inferredDifficulty ?? Hex.TrailingZeros(topHash);
        if (difficulty > options.MaxMiningDifficulty)
        {
            return Skip($"difficulty {difficulty} needs about 16^{difficulty} hashes; the probe mines only up to difficulty {options.MaxMiningDifficulty}");
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        budget.CancelAfter(options.MiningBudget);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var block = await Task.Run(() => QuickMiner.Mine(h, topHash, options.Name, ["probe"], timestamp, difficulty, budget.Token), cancel);
        cancel.ThrowIfCancellationRequested();
        if (block is null)
        {
            return Skip($"no block found at difficulty {difficulty} within {options.MiningBudget.TotalSeconds:0} s");
        }

        var announce = System.Text.Encoding.UTF8.GetString(MessageEncoder.Encode(new Announce(block)));
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(Math.Max(3, 2 * options.ReplyTimeout.TotalSeconds));
        var sends = 0;
        string last = "no STATS_REPLY";
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (sends < 2)
            {
                // Twice, a quarter second apart, in case one is lost.
                await a.SendAsync(announce, cancel);
                sends++;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancel);
            a.Drain();
            var reply = await AskAsync(a, StatsRequest, d => d.Type is "STATS_REPLY", cancel, attempts: 1);
            if (reply?.Json is { } j)
            {
                last = reply.Show(160);
                if (Evidence.IsInt(j, "height", out var now) && now == h + 1 && reply.Text("hash") == block.Hash)
                {
                    return Pass($"announced block {h} ({Evidence.Short(block.Hash)}, difficulty {difficulty}); STATS now {now} @ {Evidence.Short(block.Hash)}");
                }
            }
        }

        return Fail($"announced block {h} ({Evidence.Short(block.Hash)}, difficulty {difficulty}); STATS still: {last}");
    }
}
