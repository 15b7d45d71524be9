namespace Aviary.Node.Limits;

/// <summary>
/// Response rate limits (after DNS servers' RRL) on what we send to addresses that have not proven
/// they receive it: replies and bytes per second per address, per prefix (see <see cref="SourceKey"/>:
/// an IPv4 /24, an IPv6 /64, one loopback address and port) and for all unproven traffic together.
/// A forged flood aimed at a victim (requests carrying the victim's source address) yields at most the
/// victim's budgets, whatever its size; a person at a keyboard or a course peer asking at its own pace
/// stays far below them. Proven addresses are not charged here.
/// </summary>
public sealed record ResponseLimits
{
    /// <summary>No response limits (benchmarks that measure raw serving speed).</summary>
    public static readonly ResponseLimits Unlimited = new()
    {
        AddressReplies = Budget.Unlimited,
        AddressBytes = Budget.Unlimited,
        PrefixReplies = Budget.Unlimited,
        PrefixBytes = Budget.Unlimited,
        GlobalReplies = Budget.Unlimited,
        GlobalBytes = Budget.Unlimited,
    };

    /// <summary>
    /// Sends to one unproven address. A person polls a few times a second; a course peer asks STATS
    /// once per round and its first GET_BLOCKs before our challenge is answered. The burst answers a
    /// client's quick series at once.
    /// </summary>
    public Budget AddressReplies { get; init; } = new(10, 50);

    /// <summary>Bytes to one unproven address: a victim of a forged flood receives at most 4 KiB/s (plus one 24 KiB burst).</summary>
    public Budget AddressBytes { get; init; } = new(4 * 1024, 24 * 1024);

    /// <summary>Sends to one unproven prefix: a lab of clients behind one /24 together, or one victim network.</summary>
    public Budget PrefixReplies { get; init; } = new(50, 200);

    /// <summary>Bytes to one unproven prefix: a victim network receives at most 16 KiB/s.</summary>
    public Budget PrefixBytes { get; init; } = new(16 * 1024, 64 * 1024);

    /// <summary>
    /// Sends to every unproven address together: a peer storming STATS from a new source port (or
    /// prefix) per request is bounded here, whatever the number of sources it uses.
    /// </summary>
    public Budget GlobalReplies { get; init; } = new(1000, 2000);

    /// <summary>Bytes to every unproven address together.</summary>
    public Budget GlobalBytes { get; init; } = new(256 * 1024, 512 * 1024);
}
