namespace Aviary.Node.Sync;

/// <summary>
/// The order in which one peer of a download was asked for heights: a sequence number per request,
/// oldest first, so that an answer can show which earlier requests were overtaken. Entries for
/// requests answered or retried meanwhile are skipped by whoever takes them (the sequence no longer
/// matches). Capped: past <see cref="Capacity"/> the oldest entries are dropped, and those requests
/// are left to their timeouts.
/// </summary>
public sealed class SendOrder
{
    /// <summary>Most entries kept (16 × the largest per-peer window).</summary>
    public const int Capacity = 4096;

    private readonly Queue<(long Sequence, long Height)> sent = new();
    private long next = 1;

    public int Count => sent.Count;

    /// <summary>Records a request for <paramref name="height"/>; returns its sequence number.</summary>
    public long Add(long height)
    {
        if (sent.Count == Capacity)
        {
            sent.Dequeue();
        }

        var sequence = next++;
        sent.Enqueue((sequence, height));
        return sequence;
    }

    /// <summary>Takes the oldest entry if its sequence is below <paramref name="bound"/>.</summary>
    public bool TryTakeBefore(long bound, out long sequence, out long height)
    {
        if (sent.TryPeek(out var oldest) && oldest.Sequence < bound)
        {
            sent.Dequeue();
            (sequence, height) = oldest;
            return true;
        }

        (sequence, height) = (0, -1);
        return false;
    }
}
