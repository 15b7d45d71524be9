namespace Aviary.Bench;

/// <summary>Process exit codes a benchmark returns; the same values as the CLI's own.</summary>
internal static class ExitCodes
{
    /// <summary>The benchmark ran to its end.</summary>
    public const int Ok = 0;

    /// <summary>The benchmark ran but did not reach its goal (a sync that timed out).</summary>
    public const int Failed = 1;

    /// <summary>The options could not be used.</summary>
    public const int BadInput = 2;
}
