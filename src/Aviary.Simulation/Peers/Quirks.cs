namespace Aviary.Simulation.Peers;

/// <summary>Real peers' harmless oddities (protocol.md §1, §3, §11) that an honest node must tolerate.</summary>
[Flags]
public enum Quirks
{
    None = 0,

    /// <summary>Sends everything from a second socket (port + <see cref="QuirkTransport.OtherPortOffset"/>); it reads that socket too.</summary>
    OtherPort = 1,

    /// <summary>Reuses one gossip id for every keep-alive instead of a fresh one per round.</summary>
    FixedGossipId = 2,

    /// <summary>Sends <c>height</c> and <c>port</c> as strings, with Python's <c>", "</c> / <c>": "</c> separators.</summary>
    StringNumbers = 4,
}
