namespace Aviary.Protocol;

/// <summary>Sizes the codec enforces, each with the reason it exists.</summary>
public static class WireLimits
{
    /// <summary>
    /// Largest datagram we send: peers read with <c>recv(1024)</c> (protocol.md §0), so anything
    /// longer is truncated on their side.
    /// </summary>
    public const int MaxOutboundDatagram = 1024;

    /// <summary>Largest datagram we even try to parse; anything over it is rejected unread.</summary>
    public const int MaxInboundDatagram = 64 * 1024;

    /// <summary>
    /// Deepest JSON nesting accepted. Real messages are depth 2 (an object holding the messages
    /// array); a little slack lets extra keys with small objects through.
    /// </summary>
    public const int MaxDepth = 8;

    /// <summary>Longest string field (name, host, id, minedBy, word…) in code points we keep.</summary>
    public const int MaxStringLength = 512;

    /// <summary>
    /// Most entries in a block's message list that the codec keeps. The chain rules allow 10; the
    /// codec lets a few more through so the validator can reject them with the rule's name.
    /// </summary>
    public const int MaxMessages = 64;

    /// <summary>Highest UDP port.</summary>
    public const int MaxPort = 65535;
}
