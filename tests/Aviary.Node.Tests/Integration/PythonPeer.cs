using System.Globalization;

using Aviary.Protocol;

namespace Aviary.Node.Tests.Integration;

/// <summary>
/// A stdlib-Python course peer from Integration/Peers (copied beside the tests), serving a chain
/// file on 127.0.0.1; killed when disposed (and ends itself after its lifetime anyway).
/// </summary>
internal sealed class PythonPeer : IAsyncDisposable
{
    private readonly PythonScript script;
    private readonly string chainFile;

    private PythonPeer(PythonScript script, string chainFile, int port)
    {
        this.script = script;
        this.chainFile = chainFile;
        Address = new PeerAddress("127.0.0.1", port);
    }

    public PeerAddress Address { get; }

    public static async Task<PythonPeer> StartAsync(string script, IReadOnlyList<Block> chain, TimeSpan lifetime, CancellationToken stop)
    {
        var chainFile = Path.Combine(Path.GetTempPath(), $"aviary-{script}-{Guid.NewGuid():N}.json");
        using (var stream = File.Create(chainFile))
        {
            BlockFile.Write(chain, stream);
        }

        var python = PythonScript.Start(Path.Combine("Integration", "Peers", script), chainFile, lifetime.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        var port = await python.FirstLineAsync(lifetime, stop);
        return new PythonPeer(python, chainFile, int.Parse(port, CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        await script.DisposeAsync();
        File.Delete(chainFile);
    }
}
