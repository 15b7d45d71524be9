namespace Aviary.Protocol;

/// <summary>The message type a datagram's <c>type</c> string names, matched without allocating it.</summary>
internal enum MessageKind : byte
{
    Unknown,
    Gossip,
    GossipReply,
    Stats,
    StatsReply,
    GetBlock,
    GetBlockReply,
    Announce,
    NewWord,
    Consensus,
}

/// <summary>Maps the wire spelling of a type (UTF-8, unescaped) to its <see cref="MessageKind"/>.</summary>
internal static class MessageKinds
{
    /// <summary>Longest type name, in bytes.</summary>
    public const int MaxLength = 15;

    public static MessageKind Identify(ReadOnlySpan<byte> type) => type.Length switch
    {
        5 when type.SequenceEqual("STATS"u8) => MessageKind.Stats,
        6 when type.SequenceEqual("GOSSIP"u8) => MessageKind.Gossip,
        8 when type.SequenceEqual("ANNOUNCE"u8) => MessageKind.Announce,
        8 when type.SequenceEqual("NEW_WORD"u8) => MessageKind.NewWord,
        9 when type.SequenceEqual("GET_BLOCK"u8) => MessageKind.GetBlock,
        9 when type.SequenceEqual("CONSENSUS"u8) => MessageKind.Consensus,
        11 when type.SequenceEqual("STATS_REPLY"u8) => MessageKind.StatsReply,
        12 when type.SequenceEqual("GOSSIP_REPLY"u8) || type.SequenceEqual("GOSSIP-REPLY"u8) => MessageKind.GossipReply,
        15 when type.SequenceEqual("GET_BLOCK_REPLY"u8) => MessageKind.GetBlockReply,
        _ => MessageKind.Unknown,
    };
}
