using Aviary.Node;
using Aviary.Node.Core;
using Aviary.Node.Udp;

namespace Aviary.Cli;

/// <summary>
/// A live one-line progress bar on an interactive terminal while the node syncs: percent, blocks/s
/// and ETA, redrawn four times a second from snapshots taken on the core thread, first drawn once a
/// rate is measured. Log lines erase it before they print (<see cref="ProgressLine"/>).
/// </summary>
internal sealed class SyncProgressBar(UdpHost host, NodeCore core, TextWriter output)
{
    private const int Width = 30;
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    private long lastHeight = -1;
    private DateTimeOffset lastAt;
    private double rate;
    private bool drawn;

    /// <summary>Runs until <paramref name="stop"/>; does nothing when the terminal is not interactive.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        if (Console.IsErrorRedirected)
        {
            return;
        }

        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var snapshot = new TaskCompletionSource<SyncStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
                host.Post(() => snapshot.TrySetResult(core.Snapshot().Sync));
                Draw(await snapshot.Task.WaitAsync(stop));
            }
        }
        catch (OperationCanceledException)
        {
        }

        Clear();
    }

    /// <summary>The bar's text for a sync status (public for tests).</summary>
    public static string Render(SyncStatus sync, double blocksPerSecond)
    {
        var total = Math.Max(1, sync.Target.Height - sync.ForkHeight);
        var done = Math.Clamp(sync.VerifiedHeight - sync.ForkHeight, 0, total);
        var fraction = (double)done / total;
        var filled = (int)(fraction * Width);
        var eta = blocksPerSecond > 0 ? $"{(sync.Target.Height - sync.VerifiedHeight) / blocksPerSecond:0} s" : "?";
        return $"sync [{new string('#', filled)}{new string('.', Width - filled)}] {fraction:P1}  {sync.VerifiedHeight:N0}/{sync.Target.Height:N0}  {blocksPerSecond:N0} blocks/s  ETA {eta}";
    }

    private void Draw(SyncStatus? sync)
    {
        if (sync is null)
        {
            Clear();
            lastHeight = -1;
            rate = 0;
            return;
        }

        var now = DateTimeOffset.UtcNow;
        if (lastHeight >= 0 && now > lastAt)
        {
            var instant = (sync.VerifiedHeight - lastHeight) / (now - lastAt).TotalSeconds;
            rate = rate == 0 ? instant : (rate * 0.7) + (instant * 0.3);
        }

        lastHeight = sync.VerifiedHeight;
        lastAt = now;
        if (rate <= 0)
        {
            // Nothing to say yet but "0 blocks/s, ETA ?": wait for the first measured rate.
            return;
        }

        output.Write("\r" + Render(sync, rate) + "\u001b[K");
        drawn = true;
        ProgressLine.Drawn = true;
    }

    private void Clear()
    {
        if (drawn)
        {
            output.Write("\r\u001b[K");
            drawn = false;
            ProgressLine.Drawn = false;
        }
    }
}
