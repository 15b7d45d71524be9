using System.Text.Json;

using Aviary.Probe;

namespace Aviary.Census.Tests;

/// <summary><c>aviary census</c>'s engine against a loopback devnet of honest nodes and wrong peers, entered through one node.</summary>
public sealed class CensusRunTests
{
    private static CensusOptions Options(LoopbackNetwork net) => new()
    {
        Entry = net.Entry.EndPoint,
        ReplyTimeout = TimeSpan.FromMilliseconds(500),
        TotalLimit = TimeSpan.FromSeconds(90),
        MinListen = TimeSpan.FromSeconds(3),
        Quiet = TimeSpan.FromSeconds(1.5),
        MaxListen = TimeSpan.FromSeconds(20),
        GossipEvery = TimeSpan.FromMilliseconds(250),
        MaxGossipRounds = 40,
    };

    [Fact]
    public async Task Finds_every_peer_through_one_entry_and_grades_each_as_expected()
    {
        await using var net = LoopbackNetwork.Start();
        var progress = new List<string>();
        var report = await new CensusRun(Options(net), line => { lock (progress) { progress.Add(line); } }).RunAsync(TestContext.Current.CancellationToken);
        var text = CensusReportWriter.Text(report);
        if (Environment.GetEnvironmentVariable("AVIARY_CENSUS_REPORT") is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, text, TestContext.Current.CancellationToken);
        }

        var expected = net.Honest.Select(n => n.Address).Concat(net.Fakes.Select(f => f.Address)).Order(StringComparer.Ordinal);
        Assert.True(expected.SequenceEqual(report.Peers.Select(p => p.Address).Order(StringComparer.Ordinal)), text);
        CensusPeer Peer(string address) => report.Peers.Single(p => p.Address == address);
        CheckResult Failure(CensusPeer p, string id) => Assert.Single(p.Failures, f => f.Id == id);

        Assert.Equal(LoopbackNetwork.ChainLength, report.BestHeight);
        Assert.Equal(net.Chain[^1].Hash, report.BestHash);
        foreach (var honest in net.Honest)
        {
            var p = Peer(honest.Address);
            Assert.True(p.Grade == 'A' && p.Place?.Kind == PlaceKind.Same && p.Name == honest.Name, text);
        }

        var liar = Peer(net.Fake(Fault.ReplyToSender).Address);
        Assert.Contains("went to the datagram's source", Failure(liar, "gossip.reply").Evidence);
        Assert.Equal(PlaceKind.Same, liar.Place?.Kind);

        var tampered = Peer(net.Fake(Fault.TamperedBlock).Address);
        Assert.StartsWith("block 4 ", Failure(tampered, "chain.verifies").Evidence);
        Assert.False(tampered.ChainVerified);

        var negative = Peer(net.Fake(Fault.NegativeIndexesFromEnd).Address);
        Assert.Contains($"returned block {LoopbackNetwork.ChainLength - 1}", Failure(negative, "get_block.negative").Evidence);

        foreach (var p in new[] { liar, tampered, negative })
        {
            Assert.True(p.Grade is not null and not 'A' && p.Failures.Count == 1, text);
        }

        var silent = Peer(net.Fake(Fault.Silent).Address);
        Assert.True(!silent.Answered && silent.Grade is null && silent.Place is null && silent.Name == "silent", text);

        var fork = Peer(net.Fake(Fault.None, fork: true).Address);
        Assert.True(fork.Grade == 'A' && fork.Place is { Kind: PlaceKind.Fork, ForkHeight: LoopbackNetwork.ForkHeight }, text);

        Assert.Equal(net.Honest.Count + 3, report.OnBest);
        Assert.Contains($"forks: at height {LoopbackNetwork.ForkHeight}: short-fork (8 blocks)", text);
        Assert.Contains($"never answered: silent ({silent.Address})", text);
        Assert.False(report.TimeLimitReached);
        Assert.Contains(progress, l => l.Contains("grade A", StringComparison.Ordinal));

        using var json = JsonDocument.Parse(CensusReportWriter.Json(report));
        Assert.Equal(8, json.RootElement.GetProperty("peers").GetArrayLength());
        Assert.Equal(LoopbackNetwork.ChainLength, json.RootElement.GetProperty("best").GetProperty("height").GetInt64());
        var html = CensusHtml.Page(report);
        Assert.Contains("<td>short-fork</td>", html);
        Assert.Contains("fork at 6", html);
    }

    [Fact]
    public async Task Stops_recording_at_the_peer_bound_and_counts_the_rest()
    {
        await using var net = LoopbackNetwork.Start();
        var report = await new CensusRun(Options(net) with { MaxPeers = 3, Parallel = 2 }).RunAsync(TestContext.Current.CancellationToken);
        Assert.Equal(3, report.Peers.Count);
        Assert.True(report.Dropped > 0);
        Assert.Contains(report.Peers, p => p.Address == net.Entry.Address);
        Assert.Contains("more peers past --max-peers", CensusReportWriter.Text(report));
    }
}
