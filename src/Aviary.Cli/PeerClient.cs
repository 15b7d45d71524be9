using System.Net;
using System.Net.Sockets;

using Aviary.Protocol;

namespace Aviary.Cli;

/// <summary>
/// Talks to one peer the way the course's test shell does: a request from an ephemeral UDP socket,
/// and the reply awaited on that same socket, for a bounded time.
/// </summary>
internal static class PeerClient
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
        var ignored = 0;
        var refused = 0;
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new PeerExchange { Ignored = ignored, Refused = refused };
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
            {
                refused++;
                continue;
            }

            var raw = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            var decoded = MessageDecoder.Decode(raw);
            if (decoded.Rejection is { } rejection)
            {
                return new PeerExchange { Raw = raw, From = received.RemoteEndPoint, Malformed = rejection, Ignored = ignored, Refused = refused };
            }

            if (isReply(decoded.Message!))
            {
                return new PeerExchange { Reply = decoded.Message, Raw = raw, From = received.RemoteEndPoint, Ignored = ignored, Refused = refused };
            }

            ignored++;
        }
    }

    private static Socket Open(IPEndPoint peer)
    {
        var socket = new Socket(peer.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(peer.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        return socket;
    }
}
