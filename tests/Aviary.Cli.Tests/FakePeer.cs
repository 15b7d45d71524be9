using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Aviary.Cli.Tests;

/// <summary>A stand-in peer on 127.0.0.1: receives one datagram and answers it with canned datagrams, or stays silent.</summary>
internal sealed class FakePeer : IDisposable
{
    private readonly UdpClient udp = new(new IPEndPoint(IPAddress.Loopback, 0));

    /// <summary>HOST:PORT to give the command.</summary>
    public string Address => $"127.0.0.1:{((IPEndPoint)udp.Client.LocalEndPoint!).Port}";

    /// <summary>Receives one request, sends each reply back to its source in turn, and returns the request's text.</summary>
    public async Task<string> AnswerAsync(CancellationToken cancellationToken, params string[] replies)
    {
        var request = await udp.ReceiveAsync(cancellationToken);
        foreach (var reply in replies)
        {
            await udp.SendAsync(Encoding.UTF8.GetBytes(reply), request.RemoteEndPoint, cancellationToken);
        }

        return Encoding.UTF8.GetString(request.Buffer);
    }

    public void Dispose() => udp.Dispose();
}
