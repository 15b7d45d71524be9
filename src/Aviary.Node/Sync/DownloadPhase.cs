namespace Aviary.Node.Sync;

/// <summary>Where a download stands.</summary>
public enum DownloadPhase
{
    /// <summary>Comparing hashes at our heights to find where the claimed chain leaves ours.</summary>
    ForkSearch,

    /// <summary>Fetching and verifying the heights above the fork point.</summary>
    Fetch,

    /// <summary>Verified up to the claimed top hash.</summary>
    Complete,

    /// <summary>Given up: the claim proved invalid, or no peer would serve it.</summary>
    Failed,
}
