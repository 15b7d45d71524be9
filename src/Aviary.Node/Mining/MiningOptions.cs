using Aviary.Chain;

namespace Aviary.Node.Mining;

/// <summary>What the node mines (see <see cref="MiningCoordinator"/>).</summary>
public sealed record MiningOptions
{
    /// <summary>The message of a block mined with no NEW_WORD queued: a block needs at least one.</summary>
    public const string DefaultMessageText = "Aviary";

    /// <summary>Mine blocks on our tip. False: only the genesis, if <see cref="GenesisMessages"/> asks for one.</summary>
    public bool MineBlocks { get; init; } = true;

    /// <summary>The single message of a block mined while the word queue is empty.</summary>
    public string DefaultMessage { get; init; } = DefaultMessageText;

    /// <summary>Messages of a genesis block to mine when our chain is empty; none: wait for a chain from peers.</summary>
    public IReadOnlyList<string> GenesisMessages { get; init; } = [];

    /// <summary>
    /// When words arrive while a block with room for them is being mined, the template is rebuilt at most
    /// this long after the job started: words reach the next block without a flood of NEW_WORD turning
    /// into a flood of restarts.
    /// </summary>
    public TimeSpan WordRefreshDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Why these options cannot be used, or null.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(DefaultMessage) || BlockValidator.CodePoints(DefaultMessage) > BlockValidator.MaxMessageLength)
        {
            return $"the default message must be 1 to {BlockValidator.MaxMessageLength} characters, got \"{DefaultMessage}\"";
        }

        if (GenesisMessages.Count > BlockValidator.MaxMessages)
        {
            return $"a genesis block holds at most {BlockValidator.MaxMessages} messages, got {GenesisMessages.Count}";
        }

        var bad = GenesisMessages.FirstOrDefault(m => string.IsNullOrEmpty(m) || BlockValidator.CodePoints(m) > BlockValidator.MaxMessageLength);
        return bad is null ? null : $"genesis message \"{bad}\" must be 1 to {BlockValidator.MaxMessageLength} characters";
    }
}
