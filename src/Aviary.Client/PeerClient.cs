using System.Net;
using System.Net.Sockets;

using Aviary.Protocol;

namespace Aviary.Client;

/// <summary>
/// Talks to one peer the way the course's test shell does: a request from an ephemeral UDP socket,
/// and the reply awaited on that same socket, for a bounded time.
/// </summary>
public static class PeerClient
{
    /// <summary>Sends a message that has no reply.</summary>
    public static async Task SendAsync(IPEndPoint peer, Message message, CancellationToken cancellationToken)
    {
        using var socket = Open(peer);
        await socket.SendToAsync(MessageEncoder.Encode(message), SocketFlags.None, peer, cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="request"/> and waits up to <paramref name="timeout"/> for a datagram that
    /// decodes to a message <paramref name="isReply"/> accepts. Other messages are counted and skipped;
    /// a datagram that does not decode at all ends the wait.
    /// </summary>
    public static async Task<PeerExchange> RequestAsync(IPEndPoint peer, Message request, Func<Message, bool> isReply, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = Open(peer);
        await socket.SendToAsync(MessageEncoder.Encode(request), SocketFlags.None, peer, cancellationToken);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var buffer = new byte[WireLimits.MaxInboundDatagram + 1];
        EndPoint any = peer.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        var wait = new Wait(isReply);
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Drain(socket, buffer, any, wait);
            }
            catch (SocketException e) when (IsPortUnreachable(e))
            {
                wait.Refused++;
                continue;
            }

            if (wait.Inspect(buffer.AsSpan(0, received.ReceivedBytes), received.RemoteEndPoint) is { } done)
            {
                return done;
            }
        }
    }

    /// <summary>At the deadline, what already arrived still counts: read what is queued without waiting.</summary>
    private static PeerExchange Drain(Socket socket, byte[] buffer, EndPoint any, Wait wait)
    {
        while (socket.Available > 0)
        {
            var from = any;
            int length;
            try
            {
                length = socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException e) when (IsPortUnreachable(e))
            {
                wait.Refused++;
                continue;
            }

            if (wait.Inspect(buffer.AsSpan(0, length), from) is { } done)
            {
                return done;
            }
        }

        return new PeerExchange { Ignored = wait.Ignored, Refused = wait.Refused };
    }

    private static bool IsPortUnreachable(SocketException e) =>
        e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused;

    private static Socket Open(IPEndPoint peer)
    {
        var socket = new Socket(peer.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(peer.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        return socket;
    }

    /// <summary>The state of one wait for a reply: what was skipped, and the test for the reply.</summary>
    private sealed class Wait(Func<Message, bool> isReply)
    {
        public int Ignored { get; private set; }

        public int Refused { get; set; }

        /// <summary>The exchange's end when this datagram ends it (the reply, or one that does not decode); null to keep waiting.</summary>
        public PeerExchange? Inspect(ReadOnlySpan<byte> datagram, EndPoint from)
        {
            var decoded = MessageDecoder.Decode(datagram);
            if (decoded.Rejection is { } rejection)
            {
                return new PeerExchange { Raw = datagram.ToArray(), From = from, Malformed = rejection, Ignored = Ignored, Refused = Refused };
            }

            if (isReply(decoded.Message!))
            {
                return new PeerExchange { Reply = decoded.Message, Raw = datagram.ToArray(), From = from, Ignored = Ignored, Refused = Refused };
            }

            Ignored++;
            return null;
        }
    }
}
