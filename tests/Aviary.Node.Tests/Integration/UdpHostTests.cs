using System.Net;
using System.Net.Sockets;
using System.Text;

using Aviary.Protocol;

namespace Aviary.Node.Tests.Integration;

/// <summary>The host's two threads on a real socket: timers with no traffic, and a stalled core under a flood.</summary>
public sealed class UdpHostTests
{
    [Fact]
    public async Task Timers_fire_when_no_datagram_arrives()
    {
        await using var bed = new LoopbackBed(TimeSpan.FromSeconds(30));
        var (host, core, _) = bed.Start("quiet", [], [], seed: 1);
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Post(() => core.After(TimeSpan.FromMilliseconds(50), fired.SetResult));
        await fired.Task.WaitAsync(bed.Stop.Token);
    }

    [Fact]
    public async Task A_core_that_falls_behind_drops_from_its_inbox_and_still_answers_a_quiet_source()
    {
        await using var bed = new LoopbackBed(TimeSpan.FromSeconds(30));
        var (host, core, _) = bed.Start("stalled", [], [], seed: 2);
        using var release = new ManualResetEventSlim();
        host.Post(() => release.Wait(bed.Stop.Token));

        using var flooder = Client();
        var junk = new byte[100];
        while (host.InboxDropped == 0)
        {
            for (var i = 0; i < 1000; i++)
            {
                flooder.SendTo(junk, host.LocalEndPoint);
            }

            await Task.Yield();
            bed.Stop.Token.ThrowIfCancellationRequested();
        }

        using var honest = Client();
        honest.SendTo(Encoding.UTF8.GetBytes("{\"type\":\"STATS\"}"), host.LocalEndPoint);
        release.Set();
        var buffer = new byte[2048];
        var n = await honest.ReceiveAsync(buffer, bed.Stop.Token);
        Assert.IsType<StatsReply>(MessageDecoder.Decode(buffer.AsSpan(0, n)).Message);

        var (dropped, inCounters) = await LoopbackBed.OnCoreThread(host, () => (host.InboxDropped, core.Counters.InboxDropped));
        Assert.True(inCounters > 0);
        Assert.True(dropped >= inCounters);
    }

    private static Socket Client()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
