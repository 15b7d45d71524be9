using Aviary.Node.Core;
using Aviary.Node.Membership;
using Aviary.Protocol;

namespace Aviary.Node.Tests.Hardening;

/// <summary>
/// The fuzz target's seed corpus (fuzz/corpus, real and quirky datagrams, some split on 0x1E into
/// sequences) replayed through a node on the fake clock: nothing throws, everything we send is a
/// valid datagram of at most 1024 bytes, and no table passes its cap. Crashes the fuzzer finds are
/// added to the corpus, so they are replayed here for good.
/// </summary>
public sealed class FuzzCorpusTests
{
    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(CorpusDirectory(), "*.bin").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Seed_input_runs_through_the_node_within_every_limit(string name)
    {
        var input = File.ReadAllBytes(Path.Combine(CorpusDirectory(), name));
        var boot = new PeerAddress("127.0.0.2", 8999);
        var node = new TestNode(new NodeOptions { Name = "fuzz", Port = 9000, Id = "fuzz", Difficulty = 1, Bootstrap = [boot] }, TestBlocks.Chain(20));
        node.Core.Start();
        var sources = new[] { boot, new PeerAddress("127.0.0.3", 8999), new PeerAddress("127.0.0.4", 40_000), new PeerAddress("127.0.0.4", 40_001) };
        var datagrams = Split(input);
        for (var i = 0; i < datagrams.Count; i++)
        {
            node.Core.OnDatagram(sources[i % sources.Length], datagrams[i]);
            node.Advance(TimeSpan.FromMilliseconds(250));
        }

        node.Advance(TimeSpan.FromMinutes(4));
        Assert.All(node.Transport.Sent, s => Assert.InRange(s.Bytes.Length, 1, WireLimits.MaxOutboundDatagram));
        Assert.All(node.Transport.Sent, s => Assert.NotNull(s.Message));
        var t = node.Core.Tables();
        Assert.InRange(t.Peers, 0, PeerTable.MaxPeers);
        Assert.InRange(t.PendingAnnounces, 0, ChainSync.MaxPendingAnnounces);
        Assert.InRange(t.PendingEvents, 1, 50);
        Assert.True(node.Core.Chain.Count >= 20);
    }

    private static List<byte[]> Split(byte[] input)
    {
        var parts = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= input.Length && parts.Count < 32; i++)
        {
            if (i == input.Length || input[i] == 0x1E)
            {
                parts.Add(input[start..i]);
                start = i + 1;
            }
        }

        return parts;
    }

    private static string CorpusDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var corpus = Path.Combine(dir.FullName, "fuzz", "corpus");
            if (Directory.Exists(corpus))
            {
                return corpus;
            }
        }

        throw new DirectoryNotFoundException("fuzz/corpus not found above the test binaries");
    }
}
