using Aviary.Protocol;

namespace Aviary.Testing.Transports;

/// <summary>
/// What every transport a core runs on must do, whatever carries the datagrams: a concrete subclass
/// per transport (the UDP host on loopback, the simulator's network) runs these same facts.
/// </summary>
public abstract class TransportContract : IAsyncDisposable
{
    private ITransportBed? bed;

    private ITransportBed Bed => bed ??= CreateBed();

    public async ValueTask DisposeAsync()
    {
        if (bed is not null)
        {
            await bed.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_datagram_arrives_at_the_address_it_was_sent_to_with_its_senders_address()
    {
        var client = Bed.OpenClient();
        var node = Bed.StartNode("receiver", [client.Address]);

        client.Send(node.Address, MessageEncoder.Encode(new NewWord("contract")));

        await Settle(() => node.Handled.Count > 0);
        var (from, message) = Assert.Single(node.Handled);
        Assert.Equal(client.Address, from);
        Assert.Equal(new NewWord("contract"), message);
    }

    [Fact]
    public async Task A_reply_goes_back_to_the_address_the_request_came_from()
    {
        var client = Bed.OpenClient();
        var node = Bed.StartNode("server", [client.Address]);

        client.Send(node.Address, MessageEncoder.Encode(new Stats()));

        await Settle(() => client.Received.Count > 0);
        var (from, bytes) = Assert.Single(client.Received);
        Assert.Equal(node.Address, from);
        Assert.IsType<StatsReply>(MessageDecoder.Decode(bytes).Message);
    }

    [Fact]
    public async Task A_message_over_1024_bytes_is_refused_by_the_sender_and_never_arrives()
    {
        var client = Bed.OpenClient();
        var node = Bed.StartNode("sender", [client.Address]);

        var (sent, refused) = await node.OnCoreAsync(c => (c.Send(client.Address, new NewWord(new string('x', WireLimits.MaxOutboundDatagram))), c.Counters.OversizedRefused));
        client.Send(node.Address, MessageEncoder.Encode(new Stats()));

        Assert.False(sent);
        Assert.Equal(1, refused);
        await Settle(() => client.Received.Count > 0);
        Assert.IsType<StatsReply>(MessageDecoder.Decode(Assert.Single(client.Received).Bytes).Message);
    }

    [Fact]
    public async Task A_datagram_longer_than_peers_read_still_arrives_whole()
    {
        var client = Bed.OpenClient();
        var node = Bed.StartNode("reader", [client.Address]);
        var padded = System.Text.Encoding.UTF8.GetBytes("{\"type\": \"STATS\"" + new string(' ', 4000) + "}");

        client.Send(node.Address, padded);

        await Settle(() => node.Handled.Count > 0);
        Assert.IsType<Stats>(Assert.Single(node.Handled).Message);
        Assert.Equal(padded.Length, await node.OnCoreAsync(c => c.Counters.BytesIn));
    }

    [Fact]
    public async Task Many_datagrams_arrive_intact_both_ways()
    {
        const int Count = 300;
        var client = Bed.OpenClient();
        var node = Bed.StartNode("busy", [client.Address]);
        string[] words = [.. Enumerable.Range(0, Count).Select(i => $"word {i}")];

        foreach (var word in words)
        {
            client.Send(node.Address, MessageEncoder.Encode(new NewWord(word)));
        }

        var sent = await node.OnCoreAsync(c => words.Count(w => c.Send(client.Address, new NewWord($"back {w}"))));

        Assert.Equal(Count, sent);
        await Settle(() => node.Handled.Count == Count && client.Received.Count == Count, () => $"the node handled {node.Handled.Count} and the client received {client.Received.Count} of {Count}");
        Assert.All(node.Handled, h => Assert.Equal(client.Address, h.From));
        Assert.Equal(words.Order(StringComparer.Ordinal), node.Handled.Select(h => ((NewWord)h.Message).Word).Order(StringComparer.Ordinal));
        Assert.All(client.Received, r => Assert.Equal(node.Address, r.From));
        Assert.Equal(words.Select(w => $"back {w}").Order(StringComparer.Ordinal), client.Received.Select(r => ((NewWord)MessageDecoder.Decode(r.Bytes).Message!).Word).Order(StringComparer.Ordinal));
    }

    /// <summary>The transport under test; made once per test (xunit makes a fresh instance for each).</summary>
    protected abstract ITransportBed CreateBed();

    private async Task Settle(Func<bool> done, Func<string>? state = null) =>
        Assert.True(await Bed.RunUntilAsync(done), $"the transport did not deliver in time {state?.Invoke()}");
}
