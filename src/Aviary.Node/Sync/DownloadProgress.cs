namespace Aviary.Node.Sync;

/// <summary>Whether a download still makes progress: blocks delivered, and the verified tip moving.</summary>
public sealed class DownloadProgress(SyncLimits limits, DateTimeOffset now)
{
    private DateTimeOffset lastDelivery = now;

    /// <summary>Wanted, well-formed blocks delivered (fork-search replies included): what a slow peer still achieves.</summary>
    public long Delivered { get; private set; }

    /// <summary>A wanted, well-formed block arrived.</summary>
    public void Deliver(DateTimeOffset now)
    {
        Delivered++;
        lastDelivery = now;
    }

    /// <summary>
    /// Why the download should give up now, if it should: nothing delivered for
    /// <see cref="SyncLimits.GiveUpAfter"/> (a slow peer that keeps delivering is followed), or blocks
    /// delivered but the verified tip (last moved at <paramref name="lastProgress"/>) stuck for
    /// <see cref="SyncLimits.VerifiedStallLimit"/> (a peer that serves every height but the next one is
    /// not progress either).
    /// </summary>
    public string? Stalled(DateTimeOffset now, DateTimeOffset lastProgress) =>
        now - lastDelivery > limits.GiveUpAfter && now - lastProgress > limits.GiveUpAfter ? $"nothing delivered for {limits.GiveUpAfter.TotalSeconds:0} s"
        : now - lastProgress > limits.VerifiedStallLimit ? $"no block verified for {limits.VerifiedStallLimit.TotalSeconds:0} s"
        : null;
}
