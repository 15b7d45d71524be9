namespace Aviary.Node.Limits;

/// <summary>Why a send was not made (counted by reason and message type).</summary>
public enum WithholdReason
{
    /// <summary>The address never sent us a datagram (it was only named by someone): only a GOSSIP_REPLY or our GOSSIP may reach it, one per 10 s.</summary>
    ThirdParty,

    /// <summary>The unproven address's own reply or byte budget is spent.</summary>
    AddressRate,

    /// <summary>The budget of the unproven address's prefix (/24, /64, or loopback address and port) is spent.</summary>
    PrefixRate,

    /// <summary>The budget for all unproven traffic together is spent.</summary>
    GlobalRate,

    /// <summary>A GOSSIP of ours to an unproven address within 10 s of the last one, or past the challenge budget.</summary>
    Challenge,

    /// <summary>A reply paced for a slow peer whose queue of paced replies was full.</summary>
    PaceQueueFull,
}
