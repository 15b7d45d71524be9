using System.Diagnostics;
using System.Globalization;

using Aviary.Protocol;

namespace Aviary.Node.Tests.Integration;

/// <summary>
/// A stdlib-Python course peer from Integration/Peers (copied beside the tests), serving a chain
/// file on 127.0.0.1; killed when disposed (and ends itself after its lifetime anyway).
/// </summary>
internal sealed class PythonPeer : IDisposable
{
    private readonly Process process;
    private readonly string chainFile;

    private PythonPeer(Process process, string chainFile, int port)
    {
        this.process = process;
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

        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Integration", "Peers", script));
        start.ArgumentList.Add(chainFile);
        start.ArgumentList.Add(lifetime.TotalSeconds.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var line = await process.StandardOutput.ReadLineAsync(stop);
        return new PythonPeer(process, chainFile, int.Parse(line ?? throw new InvalidOperationException($"{script} printed no port"), CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }

        process.Dispose();
        File.Delete(chainFile);
    }
}
