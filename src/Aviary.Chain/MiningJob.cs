namespace Aviary.Chain;

/// <summary>
/// One unit of mining work handed out by a node: a template, the difficulty it must meet, and an id
/// that names it in solutions and cancellations. A new tip gives a new job with a larger id.
/// </summary>
public sealed record MiningJob(long Id, BlockTemplate Template, int Difficulty);
