using Aviary.Node;

namespace Aviary.Web.History;

/// <summary>
/// What the charts start from when the page opens: one <see cref="ChartPoint"/> per sample interval,
/// at most <see cref="MaxPoints"/> of them (ten minutes at one a second). The page appends the samples
/// that come with each live status after that, under the same cap.
/// </summary>
public sealed class ChartHistory
{
    /// <summary>Samples kept: the cap on the server's history, whatever the uptime.</summary>
    public const int MaxPoints = 600;

    /// <summary>Blocks whose intervals the block-interval chart shows.</summary>
    public const int MaxIntervals = 200;

    private readonly HistoryRing<ChartPoint> points = new(MaxPoints);

    /// <summary>Adds the sample of <paramref name="status"/>.</summary>
    public void Add(NodeStatus status) => points.Add(ChartPoint.Of(status));

    /// <summary>The samples kept, oldest first.</summary>
    public IReadOnlyList<ChartPoint> Points => points.Snapshot();
}
