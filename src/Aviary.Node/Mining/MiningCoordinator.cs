using Aviary.Chain;
using Aviary.Node.Core;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Mining;

/// <summary>
/// The miner's logic on the core thread, with no threads of its own: builds a template from our tip and
/// the word queue, restarts the engine on the new tip whenever the chain changes (putting unmined words
/// back), and turns a found block into an append and an ANNOUNCE. The engine does the hashing elsewhere;
/// its solutions come back through <c>post</c>, which runs work on the core thread.
/// </summary>
public sealed class MiningCoordinator
{
    private readonly NodeCore core;
    private readonly IMiningEngine engine;
    private readonly MiningOptions options;
    private readonly Action<Action> post;
    private readonly ILogger logger;
    private List<string> taken = [];
    private long lastJobId;
    private DateTimeOffset jobStartedAt;
    private ScheduledEvent? refresh;
    private bool submitting;
    private bool started;
    private bool engineRunning;

    /// <summary>A coordinator for <paramref name="core"/>; <paramref name="post"/> runs an action on the core thread.</summary>
    public MiningCoordinator(NodeCore core, IMiningEngine engine, MiningOptions options, Action<Action> post, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        this.core = core;
        this.engine = engine;
        this.options = options;
        this.post = post;
        this.logger = logger;
    }

    /// <summary>The job being mined, or null when idle (nothing to mine: an empty chain and no genesis to mine).</summary>
    public MiningJob? Job { get; private set; }

    /// <summary>Blocks we mined that went into our chain.</summary>
    public long BlocksMined { get; private set; }

    /// <summary>Solutions that arrived for a job already replaced (the tip moved first).</summary>
    public long StaleSolutions { get; private set; }

    /// <summary>Solutions that did not make a valid block of their job (a faulty engine or worker).</summary>
    public long RejectedSolutions { get; private set; }

    /// <summary>Starts mining on the current tip. Call on the core thread.</summary>
    public void Start()
    {
        if (started)
        {
            return;
        }

        started = true;
        core.Chain.Changed += OnChainChanged;
        core.WordReceived += OnWord;
        engine.Found += OnEngineFound;
        core.Mining = this;
        Retarget("start");
    }

    /// <summary>Stops mining and returns the words of the current job to the queue. Call on the core thread.</summary>
    public void Stop()
    {
        if (!started)
        {
            return;
        }

        started = false;
        core.Chain.Changed -= OnChainChanged;
        core.WordReceived -= OnWord;
        engine.Found -= OnEngineFound;
        refresh?.Cancel();
        refresh = null;
        engine.Stop();
        engineRunning = false;
        core.Words.PutBack(taken);
        taken = [];
        Job = null;
    }

    /// <summary>A solution from the engine, on the core thread: checked, appended, announced, then the next job.</summary>
    public void OnFound(MiningJob job, Block block)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(block);
        if (!started || Job?.Id != job.Id)
        {
            StaleSolutions++;
            return;
        }

        var t = job.Template;
        var fits = block.Height == t.Height && block.MinedBy == t.MinedBy && block.Timestamp == t.Timestamp && block.Messages.SequenceEqual(t.Messages);
        var verdict = fits ? BlockValidator.Validate(block, t.PreviousHash, t.Height, job.Difficulty) : new(BlockRule.HashMismatch, "the block is not the job's template");
        if (!verdict.IsValid)
        {
            RejectedSolutions++;
            logger.LogWarning("mining: a solution for job {Job} is not a valid block ({Verdict}); still mining", job.Id, verdict);
            return;
        }

        var used = taken;
        taken = [];
        Job = null;
        submitting = true;
        try
        {
            verdict = core.SubmitMined(block);
        }
        finally
        {
            submitting = false;
        }

        if (verdict.IsValid)
        {
            BlocksMined++;
            core.Words.Mined(used);
        }
        else
        {
            logger.LogInformation("mining: our block {Height} was not appended: {Verdict}", block.Height, verdict);
            core.Words.PutBack(used);
        }

        Retarget(verdict.IsValid ? $"mined block {block.Height}" : "our block was refused");
    }

    /// <summary>The miner section of <see cref="NodeStatus"/>.</summary>
    public MinerStatus Status()
    {
        var e = engine.Status();
        return new MinerStatus(
            Job is not null,
            e.Threads,
            e.Tier,
            e.AttemptsPerSecond,
            core.Words.Count,
            core.Words.Rejections.ToDictionary(r => r.Reason, r => r.Count),
            Job?.Template.Height,
            Job?.Id,
            BlocksMined,
            StaleSolutions,
            RejectedSolutions,
            new Dictionary<string, long>(core.MinerTally.ByMiner, StringComparer.Ordinal),
            core.MinerTally.Others,
            e.Workers,
            e.RemoteAttemptsPerSecond,
            e.DroppedWorkers,
            e.Gpus)
        {
            CurrentMessages = Job?.Template.Messages ?? [],
            WaitingWords = [.. core.Words.Words.Take(MinerStatus.MaxWaitingShown)],
        };
    }

    private void OnEngineFound(MiningJob job, Block block) => post(() => OnFound(job, block));

    private void OnChainChanged(long from)
    {
        if (submitting)
        {
            return;
        }

        if (Job is { } job && job.Template.PreviousHash == core.Chain.TopHash && job.Template.Height == core.Chain.Count)
        {
            return;
        }

        Retarget($"chain changed from height {from}");
    }

    private void OnWord(string word)
    {
        if (Job is not { } job || refresh is not null || job.Template.PreviousHash is null || taken.Count >= BlockValidator.MaxMessages || core.Words.Count == 0)
        {
            return;
        }

        var at = jobStartedAt + options.WordRefreshDelay;
        refresh = core.At(at > core.Events.Now ? at : core.Events.Now, () =>
        {
            refresh = null;
            Retarget("new words");
        });
    }

    private void Retarget(string why)
    {
        refresh?.Cancel();
        refresh = null;
        core.Words.PutBack(taken);
        taken = [];
        var template = NextTemplate();
        if (template is null)
        {
            if (engineRunning)
            {
                engine.Stop();
                engineRunning = false;
                logger.LogInformation("mining: idle ({Why}): {What}", why, core.Chain.Count == 0 ? "no chain yet" : "only a genesis was asked for");
            }

            Job = null;
            return;
        }

        Job = new MiningJob(++lastJobId, template, core.Chain.Difficulty);
        jobStartedAt = core.Events.Now;
        engine.Start(Job);
        engineRunning = true;
        logger.LogDebug("mining: job {Job} at height {Height} with {Messages} messages ({Why})", Job.Id, template.Height, template.Messages.Count, why);
    }

    private BlockTemplate? NextTemplate()
    {
        var now = core.Events.Now.ToUnixTimeSeconds();
        if (core.Chain.Top is not { } top)
        {
            return options.GenesisMessages.Count > 0 ? BlockTemplate.Genesis(core.Options.Name, options.GenesisMessages, now) : null;
        }

        if (!options.MineBlocks)
        {
            return null;
        }

        taken = core.Words.Take(BlockValidator.MaxMessages);
        return new BlockTemplate(top.Hash, top.Height + 1, core.Options.Name, taken.Count > 0 ? taken : [options.DefaultMessage], now);
    }
}
