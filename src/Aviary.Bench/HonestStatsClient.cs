using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

using Aviary.Protocol;

namespace Aviary.Bench;

/// <summary>
/// The honest side of <c>aviary bench flood</c>: a client that proves its address, then asks STATS
/// every 20 ms with one request outstanding and records each reply's latency, from the first send.
/// Like course peers it asks again when no reply comes (every 100 ms); a request unanswered for a
/// second counts as a one-second latency.
/// </summary>
internal sealed class HonestStatsClient(IPEndPoint node) : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(100);

    private readonly Socket socket = CreateSocket();
    private readonly List<(double At, double Milliseconds)> samples = [];
    private readonly Lock gate = new();

    public bool Proven { get; private set; }

    public long BytesReceived { get; private set; }

    /// <summary>STATS_REPLYs received (it also gets the node's GOSSIPs, as a tracked peer).</summary>
    public long StatsReplies { get; private set; }

    /// <summary>Size of the last STATS_REPLY: what the node sends anyone who asks STATS now.</summary>
    public int StatsReplyBytes { get; private set; }

    public long BytesSent { get; private set; }

    public void Run(Stopwatch clock, CancellationToken stop)
    {
        Proven = ProvenClient.Prove(socket, node, TimeSpan.FromSeconds(5));
        var request = MessageEncoder.Encode(Stats.Instance);
        var buffer = new byte[2048];
        while (!stop.IsCancellationRequested)
        {
            var sent = clock.Elapsed;
            var last = sent - Retry;
            var answered = false;
            while (!answered && clock.Elapsed - sent < Timeout && !stop.IsCancellationRequested)
            {
                if (clock.Elapsed - last >= Retry)
                {
                    last = clock.Elapsed;
                    socket.SendTo(request, node);
                    BytesSent += request.Length;
                }

                if (socket.Poll(5_000, SelectMode.SelectRead))
                {
                    var n = socket.Receive(buffer);
                    BytesReceived += n;
                    if (MessageDecoder.Decode(buffer.AsSpan(0, n)).Message is StatsReply)
                    {
                        answered = true;
                        StatsReplies++;
                        StatsReplyBytes = n;
                    }
                }
            }

            if (stop.IsCancellationRequested)
            {
                break;
            }

            var latency = answered ? (clock.Elapsed - sent).TotalMilliseconds : Timeout.TotalMilliseconds;
            lock (gate)
            {
                samples.Add((sent.TotalSeconds, latency));
            }

            var wait = Interval - (clock.Elapsed - sent);
            if (wait > TimeSpan.Zero)
            {
                stop.WaitHandle.WaitOne(wait);
            }
        }
    }

    /// <summary>Latencies (ms) of requests sent between <paramref name="from"/> and <paramref name="to"/> seconds.</summary>
    public double[] Latencies(double from = 0, double to = double.MaxValue)
    {
        lock (gate)
        {
            return [.. samples.Where(s => s.At >= from && s.At < to).Select(s => s.Milliseconds)];
        }
    }

    public void Dispose() => socket.Dispose();

    private static Socket CreateSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
