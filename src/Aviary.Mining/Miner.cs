using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Mining;

/// <summary>
/// Mines one template on several threads: each takes the next chunk of counters (2^20, or the tier's
/// <see cref="IHashTier.ChunkSize"/>) and searches it with <see cref="Tier"/>. The first valid block ends the run; cancelling the token ends it within
/// 65,536 attempts per thread (well under a millisecond on the vector tiers), so a tip change is
/// followed by cancelling and calling <see cref="MineAsync"/> again with the new template.
/// </summary>
public sealed class Miner
{
    /// <summary>Counters a thread takes at a time, unless the tier asks for more.</summary>
    public const ulong ChunkSize = 1UL << 20;

    private readonly TimeProvider time;
    private readonly Lock runGate = new();
    private long attempts;
    private long runStartAttempts;
    private long runStart;
    private long runEnd;
    private long runs;

    /// <summary>A miner using <paramref name="tier"/> on <paramref name="threads"/> threads; <paramref name="time"/> times the rate.</summary>
    public Miner(IHashTier tier, int threads, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(tier);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (!tier.IsSupported)
        {
            throw new PlatformNotSupportedException($"the {tier.Name} mining tier needs {tier.Requirement}, which this machine lacks");
        }

        Tier = tier;
        Threads = threads;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>The search tier every thread uses.</summary>
    public IHashTier Tier { get; }

    /// <summary>Threads per run.</summary>
    public int Threads { get; }

    /// <summary>Attempts made since this miner was created (for a tier from outside this assembly, whole chunks only).</summary>
    public long Attempts => Interlocked.Read(ref attempts);

    /// <summary>Attempts per second over the current run, or the last one once it has ended; 0 before the first.</summary>
    public double AttemptsPerSecond
    {
        get
        {
            var start = Interlocked.Read(ref runStart);
            if (start == 0)
            {
                return 0;
            }

            var end = Interlocked.Read(ref runEnd);
            var elapsed = time.GetElapsedTime(start, end == 0 ? time.GetTimestamp() : end).TotalSeconds;
            return elapsed > 0 ? (Attempts - Interlocked.Read(ref runStartAttempts)) / elapsed : 0;
        }
    }

    /// <summary>
    /// Mines <paramref name="template"/> at <paramref name="difficulty"/>, counters from
    /// <paramref name="startCounter"/> up to (not including) <paramref name="endCounter"/>. Completes with a
    /// block that <see cref="Aviary.Chain.BlockValidator"/> accepts, or null when cancelled or when the range
    /// is used up. Disjoint ranges let several miners share one template without repeating work.
    /// </summary>
    public Task<Block?> MineAsync(BlockTemplate template, int difficulty, CancellationToken cancellationToken = default, ulong startCounter = 0, ulong endCounter = NonceLayout.CounterLimit)
    {
        var layout = NonceLayout.For(template);
        ArgumentOutOfRangeException.ThrowIfNegative(difficulty);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(difficulty, Hex.HashLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(endCounter, NonceLayout.CounterLimit);
        long run;
        lock (runGate)
        {
            run = ++runs;
            Interlocked.Exchange(ref runStartAttempts, Attempts);
            Interlocked.Exchange(ref runEnd, 0);
            Interlocked.Exchange(ref runStart, Math.Max(1, time.GetTimestamp()));
        }

        return new Run(this, run, layout, difficulty, startCounter, endCounter, cancellationToken).Start();
    }

    private void Count(ulong attempts) => Interlocked.Add(ref this.attempts, (long)attempts);

    /// <summary>Run <paramref name="run"/> has stopped; it only ends the rate's window if no later run has started since.</summary>
    private void Ended(long run)
    {
        lock (runGate)
        {
            if (runs == run)
            {
                Interlocked.Exchange(ref runEnd, Math.Max(1, time.GetTimestamp()));
            }
        }
    }

    /// <summary>One call of <see cref="MineAsync"/>: its threads, shared counter and outcome.</summary>
    private sealed class Run(Miner miner, long number, NonceLayout layout, int difficulty, ulong startCounter, ulong endCounter, CancellationToken cancellationToken)
    {
        private readonly TaskCompletionSource<Block?> outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        private readonly ulong chunk = Math.Max(1, miner.Tier.ChunkSize);
        private ulong next = startCounter;
        private int running;

        public Task<Block?> Start()
        {
            running = miner.Threads;
            for (var i = 0; i < miner.Threads; i++)
            {
                new Thread(Work) { IsBackground = true, Name = $"aviary-miner-{i}" }.Start();
            }

            return outcome.Task;
        }

        private Block? Search(ulong from)
        {
            var count = Math.Min(chunk, endCounter - from);
            if (miner.Tier is ICountingSearch counting)
            {
                var found = counting.Search(layout, from, count, difficulty, stop.Token, out var attempts);
                miner.Count(attempts);
                return found;
            }

            var block = miner.Tier.Search(layout, from, count, difficulty, stop.Token);
            if (block is null && !stop.IsCancellationRequested)
            {
                miner.Count(count);
            }

            return block;
        }

        private void Work()
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var from = Interlocked.Add(ref next, chunk) - chunk;
                    if (from >= endCounter)
                    {
                        break;
                    }

                    var block = Search(from);
                    if (block is not null)
                    {
                        outcome.TrySetResult(block);
                        stop.Cancel();
                        break;
                    }
                }
            }
            catch (Exception e)
            {
                outcome.TrySetException(e);
                stop.Cancel();
            }
            finally
            {
                if (Interlocked.Decrement(ref running) == 0)
                {
                    miner.Ended(number);
                    outcome.TrySetResult(null);
                    stop.Dispose();
                }
            }
        }
    }
}
