using System.Diagnostics;

namespace Aviary.Cli;

/// <summary>
/// Progress of mining the devnet's starting chain: on a terminal one line redrawn four times a
/// second, elsewhere a line at every tenth.
/// </summary>
internal sealed class ChainProgress(int total, TextWriter output, bool terminal)
{
    private readonly Stopwatch watch = Stopwatch.StartNew();
    private TimeSpan drawnAt = TimeSpan.FromSeconds(-1);
    private int lastTenth;

    public void Report(int mined)
    {
        if (terminal)
        {
            if (watch.Elapsed - drawnAt >= TimeSpan.FromMilliseconds(250) || mined == total)
            {
                drawnAt = watch.Elapsed;
                output.Write($"\rdevnet: mining the starting chain: {mined:N0}/{total:N0} blocks ({100.0 * mined / total:0}%), {watch.Elapsed.TotalSeconds:0} s\u001b[K");
                if (mined == total)
                {
                    output.Write("\r\u001b[K");
                }
            }

            return;
        }

        var tenth = (int)(10L * mined / total);
        if (tenth > lastTenth && mined < total)
        {
            lastTenth = tenth;
            output.WriteLine($"devnet: mining the starting chain: {mined:N0}/{total:N0} blocks ({tenth * 10}%)");
        }
    }
}
