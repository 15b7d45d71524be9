using System.Diagnostics;

namespace Aviary.Bench;

/// <summary>
/// The raw anchors' client bookkeeping: the next height to ask, which heights came, the lowest still
/// missing, and whether replies stopped coming.
/// </summary>
internal sealed class FetchProgress(int count)
{
    private readonly bool[] got = new bool[count];
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long quietSince = Stopwatch.GetTimestamp();
    private int lowest;

    public int Next { get; private set; }

    public int Received { get; private set; }

    public bool Done => Received == count;

    /// <summary>No reply for 10 s: the anchor gives up.</summary>
    public bool Stalled => Stopwatch.GetElapsedTime(quietSince) > TimeSpan.FromSeconds(10);

    /// <summary>Replies per second so far.</summary>
    public double Rate => Received / clock.Elapsed.TotalSeconds;

    /// <summary>The next height to ask, while any is left.</summary>
    public bool TryTakeNext(out int height)
    {
        height = Next < count ? Next++ : -1;
        return height >= 0;
    }

    /// <summary>A reply came, for <paramref name="height"/> when it named one.</summary>
    public void Arrived(int? height)
    {
        quietSince = Stopwatch.GetTimestamp();
        if (height is { } h && h < count && !got[h])
        {
            got[h] = true;
            Received++;
            while (lowest < count && got[lowest])
            {
                lowest++;
            }
        }
    }

    /// <summary>Heights asked and still missing, lowest first, at most <paramref name="most"/> (to ask again after a quiet spell).</summary>
    public IEnumerable<int> Missing(int most)
    {
        for (var (h, found) = (lowest, 0); h < Next && found < most; h++)
        {
            if (!got[h])
            {
                found++;
                yield return h;
            }
        }
    }
}
