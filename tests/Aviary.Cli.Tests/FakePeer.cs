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

    /// <summary>
    /// Receives one request, sends each reply back to its source in turn, and returns the request's
    /// JSON (requests that await a reply come padded with trailing spaces to 1024 bytes; the padding is
    /// checked and dropped here).
    /// </summary>
    public async Task<string> AnswerAsync(CancellationToken cancellationToken, params string[] replies)
    {
        var request = await udp.ReceiveAsync(cancellationToken);
        foreach (var reply in replies)
        {
            await udp.SendAsync(Encoding.UTF8.GetBytes(reply), request.RemoteEndPoint, cancellationToken);
        }

        var text = Encoding.UTF8.GetString(request.Buffer);
        var json = text.TrimEnd(' ');
        Assert.True(json.Length == text.Length || request.Buffer.Length == 1024, $"padded to {request.Buffer.Length} bytes, not 1024");
        return json;
    }

    public void Dispose() => udp.Dispose();
}
