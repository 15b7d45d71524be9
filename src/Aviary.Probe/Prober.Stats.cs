using System.Globalization;
using System.Text.Json;

using Aviary.Protocol;

namespace Aviary.Probe;

/// <summary>STATS and GET_BLOCK checks (protocol.md §3–4).</summary>
public sealed partial class Prober
{
    private async Task<(CheckOutcome, string)> StatsReplyAsync(CancellationToken cancel)
    {
        // A reply without a type but with height/hash is seen in the wild (§3); catch it to say so.
        var reply = firstContact ?? await AskAsync(a, StatsRequest, IsStatsLike, cancel);
        if (reply is null)
        {
            return Fail($"{Silence(3)} to {StatsRequest}");
        }

        stats = reply.Json;
        return reply.Type is "STATS_REPLY"
            ? Pass(reply.Show())
            : Fail($"the reply has no \"type\": \"STATS_REPLY\": {reply.Show()}");
    }

    private Task<(CheckOutcome, string)> StatsShapeAsync(CancellationToken cancel)
    {
        if (stats is not { } j)
        {
            return Task.FromResult(Skip("no STATS_REPLY to look at"));
        }

        var hash = j.TryGetProperty("hash", out var hv) && hv.ValueKind == JsonValueKind.String ? hv.GetString() : null;
        if (Evidence.IsInt(j, "height", out var h) && h >= 1 && hash is not null && Hex.IsHash(hash))
        {
            height = h;
            topHash = hash;
            return Task.FromResult(Pass($"height int {h}, hash {Evidence.Short(hash)} (64 lowercase hex)"));
        }

        var what = $"height is {Evidence.Describe(j, "height")}, hash is {Evidence.Describe(j, "hash")}";
        if ((Evidence.IsNullOrAbsent(j, "height") || (Evidence.IsInt(j, "height", out var zero) && zero == 0)) && Evidence.IsNullOrAbsent(j, "hash"))
        {
            height = 0;
            return Task.FromResult(Pass($"no chain yet: {what}"));
        }

        // Keep going with a lenient reading so later checks still run (strings for ints occur, §3).
        if (j.TryGetProperty("height", out var hs) && hs.ValueKind == JsonValueKind.String && long.TryParse(hs.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && hash is not null && Hex.IsHash(hash))
        {
            height = parsed;
            topHash = hash;
        }

        return Task.FromResult(Fail($"{what}; expected an int and a 64-hex string, or null and null"));
    }

    private async Task<(CheckOutcome, string)> StatsCountAsync(CancellationToken cancel)
    {
        if (height is not { } h || h < 1 || topHash is null)
        {
            return Skip("the peer claims no chain");
        }

        var top = await AskBlockAsync(h - 1, cancel);
        if (top.Block is { } block && block.Hash == topHash)
        {
            return Pass($"GET_BLOCK {h - 1} returned {Evidence.Short(block.Hash)}, the STATS hash: height {h} is the block count");
        }

        var past = await AskBlockAsync(h, cancel);
        if (past.Block is { } p && p.Hash == topHash)
        {
            return Fail($"GET_BLOCK {h} returned the STATS hash {Evidence.Short(p.Hash)}: height is the top index, not the block count (protocol.md §3)");
        }

        return Fail($"GET_BLOCK {h - 1}: {top.Detail}; expected the block with hash {Evidence.Short(topHash)}");
    }

    private async Task<(CheckOutcome, string)> GetBlockValidAsync(CancellationToken cancel)
    {
        if (height is not { } h || h < 1)
        {
            return Skip("the peer claims no chain");
        }

        var seen = new List<string>();
        foreach (var at in new[] { 0, h / 2 }.Distinct())
        {
            var got = await AskBlockAsync(at, cancel);
            if (got.Block is not { } block)
            {
                return Fail($"GET_BLOCK {at}: {got.Detail}");
            }

            if (block.Height != at)
            {
                return Fail($"GET_BLOCK {at} returned block {block.Height}");
            }

            seen.Add($"{at}: {Evidence.Short(block.Hash)} by \"{Evidence.Printable(block.MinedBy, 40)}\" ({block.Messages.Count} message{(block.Messages.Count == 1 ? "" : "s")})");
        }

        return Pass($"blocks {string.Join("; ", seen)}");
    }

    private async Task<(CheckOutcome, string)> GetBlockMissingAsync(CancellationToken cancel)
    {
        // A mining peer's chain grows while we probe: read the top again just before asking past it.
        var h = await FreshHeightAsync(cancel) ?? height ?? 0;
        var reply = await AskAsync(a, GetBlock(h), IsGetBlockReply, cancel);
        if (reply is null)
        {
            return Fail($"GET_BLOCK {h}: {Silence(3)} (protocol.md §4: reply with the null fields)");
        }

        if (IsNullForm(reply, out var detail))
        {
            return Pass($"GET_BLOCK {h}: {detail}");
        }

        // A block at h may have been mined between the STATS and the GET_BLOCK: if the top moved past
        // it, ask well above the new top instead, where no block can have appeared meanwhile.
        if (await FreshHeightAsync(cancel) is { } now && now > h)
        {
            var far = now + GrowthMargin;
            var again = await AskAsync(a, GetBlock(far), IsGetBlockReply, cancel);
            return again is null
                ? Fail($"GET_BLOCK {far}: {Silence(3)} (the chain grew from {h} to {now} blocks meanwhile)")
                : IsNullForm(again, out var farDetail)
                    ? Pass($"GET_BLOCK {far} (the chain grew from {h} to {now} blocks while probing): {farDetail}")
                    : Fail($"GET_BLOCK {far}, above its top of {now} blocks: {farDetail}");
        }

        return Fail($"GET_BLOCK {h}: {detail}");
    }

    /// <summary>The peer's STATS height now, or null when it does not say (silent, or no int height).</summary>
    private async Task<long?> FreshHeightAsync(CancellationToken cancel)
    {
        var reply = await AskAsync(a, StatsRequest, d => d.Type is "STATS_REPLY", cancel);
        return reply?.Json is { } j && Evidence.IsInt(j, "height", out var h) && h >= 0 ? h : null;
    }

    private async Task<(CheckOutcome, string)> GetBlockNegativeAsync(CancellationToken cancel)
    {
        var reply = await AskAsync(a, GetBlock(-1), IsGetBlockReply, cancel);
        if (reply is null)
        {
            return Fail($"GET_BLOCK -1: {Silence(3)}");
        }

        if (IsNullForm(reply, out var detail))
        {
            return Pass($"GET_BLOCK -1: {detail}");
        }

        return BlockFile.DecodeBlock(reply.Bytes).Block is { } block
            ? Fail($"GET_BLOCK -1 returned block {block.Height} ({Evidence.Short(block.Hash)}): it indexes from the end instead of refusing")
            : Fail($"GET_BLOCK -1: {detail}");
    }

    private async Task<(CheckOutcome, string)> GetBlockNonIntegerAsync(CancellationToken cancel)
    {
        var seen = new List<string>();
        foreach (var value in new[] { "1.5", "\"one\"" })
        {
            var request = $$"""{"type":"GET_BLOCK","height":{{value}}}""";
            var reply = await AskAsync(a, request, IsGetBlockReply, cancel, attempts: 1);
            if (reply is null)
            {
                seen.Add($"height {value}: no reply");
                continue;
            }

            if (BlockFile.DecodeBlock(reply.Bytes).Block is { } block)
            {
                return Fail($"height {value} returned block {block.Height} ({Evidence.Short(block.Hash)})");
            }

            IsNullForm(reply, out var detail);
            seen.Add($"height {value}: {detail}");
        }

        if (seen.Any(s => s.EndsWith("no reply", StringComparison.Ordinal)))
        {
            // Silence is a fair answer to nonsense, as long as the peer is still there afterwards.
            var alive = await AskAsync(a, StatsRequest, d => d.Type is "STATS_REPLY", cancel);
            seen.Add(alive is null ? $"then STATS: {Silence(3)}" : "then STATS answered");
            if (alive is null)
            {
                return Fail(string.Join("; ", seen));
            }
        }

        return Pass(string.Join("; ", seen));
    }

    /// <summary>Asks for one block; the block when the reply is a well-formed block of that height, else why not.</summary>
    private async Task<(Block? Block, string Detail)> AskBlockAsync(long at, CancellationToken cancel)
    {
        var reply = await AskAsync(a, GetBlock(at), d => IsGetBlockReply(d) && (d.Json is not { } j || !Evidence.IsInt(j, "height", out var h) || h == at), cancel);
        if (reply is null)
        {
            return (null, Silence(3));
        }

        var (block, rejection) = BlockFile.DecodeBlock(reply.Bytes);
        if (block is not null)
        {
            return (block, "ok");
        }

        return IsNullForm(reply, out var detail) ? (null, $"no such block ({detail})") : (null, $"not a well-formed block: {rejection}: {reply.Show(160)}");
    }
}
