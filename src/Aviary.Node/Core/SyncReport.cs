using Aviary.Node.Sync;

namespace Aviary.Node.Core;

/// <summary>What the last sync did, for logs and status pages.</summary>
public sealed record SyncReport(ChainClaim Target, long ForkHeight, long Fetched, double Seconds, long Requests, long Retransmissions, string Outcome, DateTimeOffset At)
{
    public double BlocksPerSecond => Fetched / Seconds;
}
