using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Mining;

/// <summary>
/// Mines one template on several threads: each takes the next chunk of 2^20 counters and searches it
/// with <see cref="Tier"/>. The first valid block ends the run; cancelling the token ends it within
/// 65,536 attempts per thread (well under a millisecond on the vector tiers), so a tip change is
/// followed by cancelling and calling <see cref="MineAsync"/> again with the new template.
/// </summary>
public sealed class Miner
{
    /// <summary>Counters a thread takes at a time.</summary>
    public const ulong ChunkSize = 1UL << 20;

    private readonly TimeProvider _time;
    private readonly Lock _runGate = new();
    private long _attempts;
    private long _runStartAttempts;
    private long _runStart;
    private long _runEnd;
    private long _runs;

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
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The search tier every thread uses.</summary>
    public IHashTier Tier { get; }

    /// <summary>Threads per run.</summary>
    public int Threads { get; }

    /// <summary>Attempts made since this miner was created (for a tier from outside this assembly, whole chunks only).</summary>
    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Attempts per second over the current run, or the last one once it has ended; 0 before the first.</summary>
    public double AttemptsPerSecond
    {
        get
        {
            var start = Interlocked.Read(ref _runStart);
            if (start == 0)
            {
                return 0;
            }

            var end = Interlocked.Read(ref _runEnd);
            var elapsed = _time.GetElapsedTime(start, end == 0 ? _time.GetTimestamp() : end).TotalSeconds;
            return elapsed > 0 ? (Attempts - Interlocked.Read(ref _runStartAttempts)) / elapsed : 0;
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
        lock (_runGate)
        {
            run = ++_runs;
            Interlocked.Exchange(ref _runStartAttempts, Attempts);
            Interlocked.Exchange(ref _runEnd, 0);
            Interlocked.Exchange(ref _runStart, Math.Max(1, _time.GetTimestamp()));
        }

        return new Run(this, run, layout, difficulty, startCounter, endCounter, cancellationToken).Start();
    }

    private void Count(ulong attempts) => Interlocked.Add(ref _attempts, (long)attempts);

    /// <summary>Run <paramref name="run"/> has stopped; it only ends the rate's window if no later run has started since.</summary>
    private void Ended(long run)
    {
        lock (_runGate)
        {
            if (_runs == run)
            {
                Interlocked.Exchange(ref _runEnd, Math.Max(1, _time.GetTimestamp()));
            }
        }
    }

    /// <summary>One call of <see cref="MineAsync"/>: its threads, shared counter and outcome.</summary>
    private sealed class Run(Miner miner, long number, NonceLayout layout, int difficulty, ulong startCounter, ulong endCounter, CancellationToken cancellationToken)
    {
        private readonly TaskCompletionSource<Block?> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        private ulong _next = startCounter;
        private int _running;

        public Task<Block?> Start()
        {
            _running = miner.Threads;
            for (var i = 0; i < miner.Threads; i++)
            {
                new Thread(Work) { IsBackground = true, Name = $"aviary-miner-{i}" }.Start();
            }

            return _outcome.Task;
        }

        private Block? Search(ulong from)
        {
            var count = Math.Min(ChunkSize, endCounter - from);
            if (miner.Tier is ICountingSearch counting)
            {
                var found = counting.Search(layout, from, count, difficulty, _stop.Token, out var attempts);
                miner.Count(attempts);
                return found;
            }

            var block = miner.Tier.Search(layout, from, count, difficulty, _stop.Token);
            if (block is null && !_stop.IsCancellationRequested)
            {
                miner.Count(count);
            }

            return block;
        }

        private void Work()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var from = Interlocked.Add(ref _next, ChunkSize) - ChunkSize;
                    if (from >= endCounter)
                    {
                        break;
                    }

                    var block = Search(from);
                    if (block is not null)
                    {
                        _outcome.TrySetResult(block);
                        _stop.Cancel();
                        break;
                    }
                }
            }
            catch (Exception e)
            {
                _outcome.TrySetException(e);
                _stop.Cancel();
            }
            finally
            {
                if (Interlocked.Decrement(ref _running) == 0)
                {
                    miner.Ended(number);
                    _outcome.TrySetResult(null);
                    _stop.Dispose();
                }
            }
        }
    }
}
