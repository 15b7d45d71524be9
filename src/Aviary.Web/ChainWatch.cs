using Aviary.Chain;

namespace Aviary.Web;

/// <summary>
/// Follows <see cref="LocalChain.Changed"/> on the core thread: counts blocks per miner (kept
/// incrementally, reorgs included) and wakes web threads waiting for a change.
/// </summary>
internal sealed class ChainWatch
{
    /// <summary>Miners listed on the status page.</summary>
    public const int TopMiners = 10;

    private readonly List<string> minedBy = [];
    private readonly Dictionary<string, long> blocksByMiner = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private TaskCompletionSource changed = NewSignal();
    private long version;

    /// <summary>Bumped once per chain change; read from any thread.</summary>
    public long Version => Interlocked.Read(ref version);

    /// <summary>Subscribes and counts the chain as it is. Call on the core thread.</summary>
    public void Attach(LocalChain chain)
    {
        Recount(chain, 0);
        chain.Changed += from =>
        {
            Recount(chain, from);
            TaskCompletionSource done;
            lock (gate)
            {
                Interlocked.Increment(ref version);
                done = changed;
                changed = NewSignal();
            }

            done.TrySetResult();
        };
    }

    /// <summary>Completes when <see cref="Version"/> differs from <paramref name="seen"/>.</summary>
    public Task WaitForChangeAsync(long seen, CancellationToken cancel)
    {
        lock (gate)
        {
            return Version != seen ? Task.CompletedTask : changed.Task.WaitAsync(cancel);
        }
    }

    /// <summary>The miners with the most blocks in our chain, most first. Call on the core thread.</summary>
    public IReadOnlyList<MinerCount> Leaders() =>
        [.. blocksByMiner.OrderByDescending(m => m.Value).ThenBy(m => m.Key, StringComparer.Ordinal).Take(TopMiners).Select(m => new MinerCount(m.Key, m.Value))];

    /// <summary>Distinct miners in our chain. Call on the core thread.</summary>
    public int DistinctMiners => blocksByMiner.Count;

    private void Recount(LocalChain chain, long from)
    {
        for (var h = minedBy.Count - 1; h >= from; h--)
        {
            var name = minedBy[h];
            if (--blocksByMiner[name] == 0)
            {
                blocksByMiner.Remove(name);
            }

            minedBy.RemoveAt(h);
        }

        for (var h = minedBy.Count; h < chain.Count; h++)
        {
            var name = chain[h]!.MinedBy;
            minedBy.Add(name);
            blocksByMiner[name] = blocksByMiner.GetValueOrDefault(name) + 1;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A miner's name and how many blocks of our chain it mined.</summary>
public sealed record MinerCount(string Name, long Blocks);
