using Aviary.Protocol;
using Aviary.Testing;

namespace Aviary.Crash.Tests;

/// <summary>The crash tests' chain: mined by the test kit at difficulty 1 (about 16 hashes per block).</summary>
internal static class CrashChain
{
    public const int Difficulty = 1;

    private static readonly TestChain Settings = new() { MinedBy = "crash-test", Difficulty = Difficulty, FirstTimestamp = 1_760_000_000, Messages = h => [$"crash {h}"] };

    public static List<Block> Mine(int count) => Settings.Mine(count);
}
