using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Aviary.Testing;

/// <summary>
/// The socket side of a small fake peer on 127.0.0.1 for tests that need a real UDP peer behaving in one
/// particular way: a thread receives datagrams, hands each JSON object with a string <c>type</c> to
/// <see cref="Answer"/>, and sends the reply it returns (to whatever address it names). Junk, other JSON
/// and invalid UTF-8 are ignored, as a sloppy peer would. Subclasses call <see cref="Start"/> once their
/// own fields are set.
/// </summary>
public abstract class UdpFakePeer : IDisposable
{
    /// <summary>The GET_BLOCK_REPLY for a height the peer does not have.</summary>
    protected const string NullBlockReply = """{"type":"GET_BLOCK_REPLY","height":null,"minedBy":null,"nonce":null,"messages":null,"hash":null,"timestamp":null}""";

    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private Thread? thread;
    private volatile bool stopped;

    protected UdpFakePeer() => socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    public IPEndPoint EndPoint => (IPEndPoint)socket.LocalEndPoint!;

    /// <summary>True once <see cref="Dispose()"/> began.</summary>
    protected bool Stopped => stopped;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The reply to a datagram of this <paramref name="type"/> and where it goes, or null for none.</summary>
    protected abstract (string Json, EndPoint To)? Answer(string type, JsonElement message, IPEndPoint from);

    /// <summary>Starts receiving (call at the end of the subclass's constructor).</summary>
    protected void Start(string threadName)
    {
        thread = new Thread(Serve) { IsBackground = true, Name = threadName };
        thread.Start();
    }

    /// <summary>Sends a datagram; a refused destination is ignored, as UDP does.</summary>
    protected void Send(byte[] datagram, EndPoint to)
    {
        try
        {
            socket.SendTo(datagram, to);
        }
        catch (SocketException)
        {
        }
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            stopped = true;
            thread?.Join();
            socket.Dispose();
        }
    }

    private void Serve()
    {
        var buffer = new byte[65_536];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!stopped)
        {
            if (!socket.Poll(20_000, SelectMode.SelectRead))
            {
                continue;
            }

            int n;
            try
            {
                n = socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException)
            {
                continue;
            }

            if (Parse(buffer.AsSpan(0, n)) is { } parsed && Answer(parsed.Type, parsed.Message, (IPEndPoint)from) is { } reply)
            {
                Send(Encoding.UTF8.GetBytes(reply.Json), reply.To);
            }
        }
    }

    private static (string Type, JsonElement Message)? Parse(ReadOnlySpan<byte> datagram)
    {
        try
        {
            var j = JsonDocument.Parse(datagram.ToArray()).RootElement;
            return j.ValueKind == JsonValueKind.Object && j.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() is { } name
                ? (name, j)
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a type that is not valid UTF-8 (the prober's junk check sends some).
            return null;
        }
    }
}
