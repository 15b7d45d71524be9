using System.Net;
using System.Net.Sockets;
using System.Text;

using Aviary.Mining.Remote;

namespace Aviary.Mining.Tests.Remote;

/// <summary>A hand-driven worker connection on loopback, for sending exactly the lines a test wants.</summary>
internal sealed class RawWorker : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly TcpClient tcp;
    private readonly LineReader reader;

    private RawWorker(TcpClient tcp)
    {
        this.tcp = tcp;
        reader = new LineReader(tcp.GetStream(), WorkerLine.MaxNodeLine);
    }

    public static async Task<RawWorker> ConnectAsync(IPEndPoint node)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(node, TestContext.Current.CancellationToken);
        return new RawWorker(tcp);
    }

    public Task SendAsync(WorkerMessage message) => SendRawAsync(WorkerLine.Encode(message));

    public async Task SendRawAsync(byte[] bytes) => await tcp.GetStream().WriteAsync(bytes, TestContext.Current.CancellationToken);

    public Task SendRawAsync(string text) => SendRawAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>The next line from the node, decoded; null once the node has closed the connection.</summary>
    public async Task<WorkerMessage?> ReadAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Deadline);
        try
        {
            var (status, line) = await reader.ReadAsync(timeout.Token);
            if (status != LineStatus.Line)
            {
                return null;
            }

            Assert.True(WorkerLine.TryDecode(line, out var message, out var error), error);
            return message;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Reads until the node closes the connection; returns the last bye's reason, if any.</summary>
    public async Task<string?> ReadUntilClosedAsync()
    {
        string? reason = null;
        while (await ReadAsync() is { } message)
        {
            reason = (message as WorkerBye)?.Reason ?? reason;
        }

        return reason;
    }

    public void Dispose() => tcp.Dispose();
}
