using Aviary.Chain;

namespace Aviary.Node.Mining;

/// <summary>Why a NEW_WORD was not queued.</summary>
public enum WordRejection
{
    /// <summary>Empty or only white space.</summary>
    Empty,

    /// <summary>Longer than 20 Unicode code points (a block message's limit).</summary>
    TooLong,

    /// <summary>Already queued or being mined.</summary>
    Duplicate,

    /// <summary>The queue is at <see cref="WordQueue.MaxWords"/>.</summary>
    QueueFull,
}

/// <summary>
/// Words waiting to go into blocks we mine (protocol.md §6): bounded, de-duplicated, each checked
/// against the block message rules. A block takes 1–10 words; words of a block that was not mined
/// (the tip moved) go back to the front.
/// </summary>
public sealed class WordQueue
{
    /// <summary>Most words waiting: 100 blocks' worth; NEW_WORD costs a peer nothing, so it must cost us little.</summary>
    public const int MaxWords = 1000;

    private readonly LinkedList<string> words = new();
    private readonly HashSet<string> known = new(StringComparer.Ordinal);
    private readonly long[] rejected = new long[Enum.GetValues<WordRejection>().Length];

    public int Count => words.Count;

    public IEnumerable<string> Words => words;

    public long Rejected(WordRejection reason) => rejected[(int)reason];

    public IEnumerable<(WordRejection Reason, long Count)> Rejections =>
        Enum.GetValues<WordRejection>().Select(r => (r, rejected[(int)r])).Where(x => x.Item2 > 0);

    /// <summary>Queues a word; null when accepted, else why not (and the rejection is counted).</summary>
    public WordRejection? Add(string word)
    {
        WordRejection? why = string.IsNullOrWhiteSpace(word) ? WordRejection.Empty
            : BlockValidator.CodePoints(word) > BlockValidator.MaxMessageLength ? WordRejection.TooLong
            : known.Contains(word) ? WordRejection.Duplicate
            : words.Count >= MaxWords ? WordRejection.QueueFull
            : null;
        if (why is { } reason)
        {
            rejected[(int)reason]++;
            return why;
        }

        words.AddLast(word);
        known.Add(word);
        return null;
    }

    /// <summary>Takes up to <paramref name="max"/> words for a block (they stay known until <see cref="Mined"/> or <see cref="PutBack"/>).</summary>
    public List<string> Take(int max = BlockValidator.MaxMessages)
    {
        var taken = new List<string>(Math.Min(max, words.Count));
        while (taken.Count < max && words.First is { } first)
        {
            taken.Add(first.Value);
            words.RemoveFirst();
        }

        return taken;
    }

    /// <summary>Words of a block that was not mined return to the front, in their order.</summary>
    public void PutBack(IReadOnlyList<string> taken)
    {
        for (var i = taken.Count - 1; i >= 0; i--)
        {
            if (known.Contains(taken[i]) && !words.Contains(taken[i]))
            {
                words.AddFirst(taken[i]);
            }
        }
    }

    /// <summary>Words that went into a mined block are done: they may be queued again later.</summary>
    public void Mined(IEnumerable<string> used)
    {
        foreach (var w in used)
        {
            known.Remove(w);
        }
    }
}
