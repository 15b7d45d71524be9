using System.Globalization;
using System.Text.RegularExpressions;

using Aviary.Crash.Tests;
using Aviary.Protocol;

namespace Aviary.Namespaces.Tests;

/// <summary>
/// Issue #14, item 5: a well-known host (no peers, no <c>--host</c>) and a joiner on another host,
/// here two network namespaces joined by a veth pair. The joiner must record the well-known host at
/// the address it reaches it on, not 127.0.0.1 (which, in the joiner's namespace, is the joiner
/// itself), and the chain must sync across.
/// </summary>
public sealed partial class AdvertisedHostTests
{
    private const int Blocks = 5;

    /// <summary>Bound on each wait for a line (a node starts in a few seconds, syncs 5 blocks in well under one).</summary>
    private static readonly TimeSpan LineBound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_joiner_records_a_peerless_host_at_its_reachable_address_and_syncs_its_chain()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(55));
        var cancel = deadline.Token;
        using var pair = VethPair.TryCreate(out var why);
        if (pair is null)
        {
            Assert.Skip(why);
        }

        var chainFile = Path.GetTempFileName();
        try
        {
            await using (var file = File.Create(chainFile))
            {
                BlockFile.Write(CrashChain.Mine(Blocks), file);
            }

            string[] common = ["--in-memory", "--no-web", "--difficulty", CrashChain.Difficulty.ToString(CultureInfo.InvariantCulture), "--port", "8999"];
            await using var wellKnown = NamespacedNode.Start(pair.A, [.. common, "--chain", chainFile, "--name", "well-known"]);
            var started = await wellKnown.WaitForLineAsync(l => l.Contains("listening on udp", StringComparison.Ordinal), LineBound, cancel);
            Assert.Contains("to each peer the address it reaches us on", started, StringComparison.Ordinal);

            await using var joiner = NamespacedNode.Start(pair.B, [.. common, "--peer", $"{pair.AddressA}:8999", "--name", "joiner"]);
            var joined = await joiner.WaitForLineAsync(l => l.Contains("peer joined: well-known at", StringComparison.Ordinal), LineBound, cancel);
            Assert.Contains($"peer joined: well-known at {pair.AddressA}:8999", joined, StringComparison.Ordinal);
            await wellKnown.WaitForLineAsync(l => l.Contains($"peer joined: joiner at {pair.AddressB}:8999", StringComparison.Ordinal), LineBound, cancel);

            await joiner.WaitForLineAsync(l => Committed().Match(l) is { Success: true } m && int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture) >= Blocks, LineBound, cancel);
            Assert.DoesNotContain(joiner.Lines, l => l.Contains("at 127.0.0.1", StringComparison.Ordinal));
            Assert.DoesNotContain(wellKnown.Lines, l => l.Contains("at 127.0.0.1", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(chainFile);
        }
    }

    [GeneratedRegex(@"chain: committed height (\d+)")]
    private static partial Regex Committed();
}
