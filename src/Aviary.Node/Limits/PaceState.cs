namespace Aviary.Node.Limits;

/// <summary>What <see cref="ReplyPacer"/> knows of one peer: heights answered lately, this round's re-asks, the pace and the waiting heights.</summary>
internal sealed class PaceState
{
    /// <summary>Heights remembered per peer; past this the memory starts over (a burst of a course peer is 500).</summary>
    public const int MaxRemembered = 4096;

    /// <summary>Heights waiting per paced peer; past this a re-ask is dropped (the peer asks again).</summary>
    public const int MaxQueued = 2048;

    public HashSet<long> Answered { get; } = [];

    public Queue<long> Waiting { get; } = new();

    public HashSet<long> WaitingSet { get; } = [];

    public DateTimeOffset LastAnswer { get; set; }

    public DateTimeOffset RoundStart { get; set; }

    public int Requests { get; set; }

    public int Reasks { get; set; }

    public bool Paced { get; set; }

    /// <summary>Pacing engaged in this round: the round's re-asks are already answered by it.</summary>
    public bool SlowedThisRound { get; set; }

    public double Rate { get; set; }

    public TokenBucket Tokens;

    public void Remember(long height, DateTimeOffset now, TimeSpan memory)
    {
        if (now - LastAnswer > memory || Answered.Count >= MaxRemembered)
        {
            Answered.Clear();
        }

        Answered.Add(height);
        LastAnswer = now;
    }

    public bool Enqueue(long height)
    {
        if (WaitingSet.Contains(height))
        {
            return true;
        }

        if (Waiting.Count >= MaxQueued)
        {
            return false;
        }

        Waiting.Enqueue(height);
        WaitingSet.Add(height);
        return true;
    }

    public long Dequeue()
    {
        var h = Waiting.Dequeue();
        WaitingSet.Remove(h);
        return h;
    }
}
