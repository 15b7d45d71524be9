using Aviary.Chain;
using Aviary.Protocol;

using Microsoft.Extensions.Logging;

namespace Aviary.Hosting;

/// <summary>Loads a chain file (<c>--chain</c>, the <c>aviary verify</c> format) over the stored chain at start-up, verified first.</summary>
public static class ChainFiles
{
    /// <summary>
    /// Adopts the chain in <paramref name="path"/> when it is longer than <paramref name="local"/>; false
    /// with <paramref name="error"/> when the file is malformed or its chain is refused.
    /// </summary>
    public static bool TryLoad(string path, LocalChain local, ILogger logger, out string error)
    {
        ArgumentNullException.ThrowIfNull(local);
        error = string.Empty;
        if (!BlockFile.TryRead(File.ReadAllBytes(path), out var blocks, out var problem))
        {
            error = $"--chain {path} is malformed: {problem}";
            return false;
        }

        if (blocks.Count <= local.Count)
        {
            logger.LogInformation("--chain {Path}: {Count} blocks, not longer than the stored {Stored}; keeping the stored chain", path, blocks.Count, local.Count);
            return true;
        }

        var verdict = local.Count == 0 ? local.TryAdopt(0, blocks) : AdoptOverStored(local, blocks);
        if (!verdict.IsValid)
        {
            error = $"--chain {path} refused: {verdict}";
            return false;
        }

        logger.LogInformation("--chain {Path}: loaded {Count} verified blocks", path, blocks.Count);
        return true;
    }

    private static BlockVerdict AdoptOverStored(LocalChain local, List<Block> blocks)
    {
        // Keep what we share, replace from the first difference.
        var fork = 0;
        while (fork < local.Count && local[fork]!.Hash == blocks[fork].Hash)
        {
            fork++;
        }

        var verdict = local.VerifyBranch(0, blocks);
        return verdict.IsValid ? local.TryAdopt(fork, blocks[fork..]) : verdict;
    }
}
