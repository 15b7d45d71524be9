using System.Globalization;

namespace Aviary.Crash.Tests;

/// <summary>
/// Knobs of the crash test, from the environment: <c>AVIARY_CRASH_KILLS</c> (default 20, what CI
/// runs), <c>AVIARY_CRASH_SEED</c> and <c>AVIARY_CRASH_BLOCKS</c> (the server's chain length; by
/// default 40,000, or 600 per kill for longer runs so the chain outlasts the kills).
/// </summary>
internal sealed record CrashSettings(int Kills, int Seed, int Blocks)
{
    public static CrashSettings FromEnvironment() => new(
        Read("AVIARY_CRASH_KILLS", 20, 1, 10_000),
        Read("AVIARY_CRASH_SEED", 20_261_128, 0, int.MaxValue),
        Read("AVIARY_CRASH_BLOCKS", Math.Max(40_000, 600 * Read("AVIARY_CRASH_KILLS", 20, 1, 10_000)), 1_000, 10_000_000));

    /// <summary>
    /// Blocks per store transaction in the child: small enough that every run commits several batches
    /// before its kill and the chain outlasts the kills (a run uses about 2–4 batches), so kills land
    /// mid-sync at many heights.
    /// </summary>
    public int CommitBatch => Math.Clamp(Blocks / (Kills * 6), 16, 2048);

    /// <summary>Bound on the whole test: mining, every run and every store check.</summary>
    public TimeSpan Deadline => TimeSpan.FromSeconds(90 + (8 * Kills));

    private static int Read(string name, int fallback, int min, int max)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        Assert.True(int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max, $"{name} must be a whole number from {min} to {max}, got \"{text}\"");
        return value;
    }
}
