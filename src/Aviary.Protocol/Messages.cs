namespace Aviary.Protocol;

/// <summary>One datagram's worth of protocol: every message type the network uses (protocol.md §1–7).</summary>
public abstract record Message
{
    /// <summary>The wire value of the <c>type</c> field.</summary>
    public abstract string Type { get; }
}

/// <summary>GOSSIP: an originator announcing where it listens (§1).</summary>
public sealed record Gossip(string Host, int Port, string Id, string Name) : Message
{
    public override string Type => MessageTypes.Gossip;
}

/// <summary>GOSSIP_REPLY: the replier's own address and name (§2). Also accepted as GOSSIP-REPLY.</summary>
public sealed record GossipReply(string Host, int Port, string Name) : Message
{
    public override string Type => MessageTypes.GossipReply;
}

/// <summary>STATS: asks for the height and top hash of the peer's chain (§3).</summary>
public sealed record Stats : Message
{
    public static readonly Stats Instance = new();

    public override string Type => MessageTypes.Stats;
}

/// <summary>
/// STATS_REPLY (§3). <see cref="Height"/> is the number of blocks in the chain; both fields are null
/// when the sender has no chain (or sent something that is not a chain claim, like "None").
/// </summary>
public sealed record StatsReply(long? Height, string? Hash) : Message
{
    public static readonly StatsReply Empty = new(null, null);

    public override string Type => MessageTypes.StatsReply;

    /// <summary>True when the reply claims a chain: a height of at least one block and a 64-hex hash.</summary>
    public bool ClaimsChain => Height is >= 1 && Hash is not null && Hex.IsHash(Hash);
}

/// <summary>
/// GET_BLOCK (§4). <see cref="Height"/> is null when the request carried a height that is not an
/// integer (still answered, with the all-null reply).
/// </summary>
public sealed record GetBlock(long? Height) : Message
{
    public override string Type => MessageTypes.GetBlock;
}

/// <summary>GET_BLOCK_REPLY (§4). <see cref="Block"/> is null for the "no such block" form.</summary>
public sealed record GetBlockReply(Block? Block) : Message
{
    public static readonly GetBlockReply Missing = new((Block?)null);

    public override string Type => MessageTypes.GetBlockReply;
}

/// <summary>ANNOUNCE: a newly mined block (§5).</summary>
public sealed record Announce(Block Block) : Message
{
    public override string Type => MessageTypes.Announce;
}

/// <summary>NEW_WORD: a word to put in a block we mine (§6).</summary>
public sealed record NewWord(string Word) : Message
{
    public override string Type => MessageTypes.NewWord;
}

/// <summary>CONSENSUS: asks the peer to run a consensus now (§7).</summary>
public sealed record Consensus : Message
{
    public static readonly Consensus Instance = new();

    public override string Type => MessageTypes.Consensus;
}

/// <summary>The wire names of the message types.</summary>
public static class MessageTypes
{
    public const string Gossip = "GOSSIP";
    public const string GossipReply = "GOSSIP_REPLY";
    public const string GossipReplyHyphen = "GOSSIP-REPLY";
    public const string Stats = "STATS";
    public const string StatsReply = "STATS_REPLY";
    public const string GetBlock = "GET_BLOCK";
    public const string GetBlockReply = "GET_BLOCK_REPLY";
    public const string Announce = "ANNOUNCE";
    public const string NewWord = "NEW_WORD";
    public const string Consensus = "CONSENSUS";
}
