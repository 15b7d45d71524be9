namespace Aviary.Mining.Remote;

/// <summary>Limits of a <see cref="WorkerServer"/>: every table and timer it keeps is bounded by one of these.</summary>
public sealed record WorkerServerOptions
{
    /// <summary>Most connections at once (each takes a counter slot, so at most <see cref="CounterRanges.MaxSlots"/>).</summary>
    public int MaxWorkers { get; init; } = CounterRanges.MaxSlots;

    /// <summary>A worker silent this long (workers send stats every few seconds) is dropped.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A connection that has not said hello within this is dropped.</summary>
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Lines waiting to be written to one worker; a worker that falls this far behind is not reading and is dropped.</summary>
    public int MaxQueuedLines { get; init; } = 64;

    /// <summary>The clock for timeouts and connection times.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>One connected worker as a status page shows it.</summary>
public sealed record RemoteWorkerStatus(int Slot, string Address, string? Name, string? Tier, int Threads, double AttemptsPerSecond, long Solutions, DateTimeOffset ConnectedAt);
