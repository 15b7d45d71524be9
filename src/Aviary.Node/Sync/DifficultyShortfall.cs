namespace Aviary.Node.Sync;

/// <summary>A block that broke no rule but our difficulty: <paramref name="Zeros"/> trailing zeros where we require <paramref name="Required"/>.</summary>
public sealed record DifficultyShortfall(PeerAddress Peer, long Height, int Zeros, int Required);
