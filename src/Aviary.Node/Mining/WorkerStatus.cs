namespace Aviary.Node.Mining;

/// <summary>
/// One connected remote worker as the node reports it in <see cref="MinerStatus"/>. The node owns this
/// type so it needs nothing from the miners; the host's engine maps its worker server's view to it.
/// </summary>
public sealed record WorkerStatus(int Slot, string Address, string? Name, string? Tier, int Threads, double AttemptsPerSecond, long Solutions, DateTimeOffset ConnectedAt);
