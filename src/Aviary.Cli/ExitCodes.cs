namespace Aviary.Cli;

/// <summary>Process exit codes shared by the commands.</summary>
internal static class ExitCodes
{
    /// <summary>Everything checked out.</summary>
    public const int Ok = 0;

    /// <summary>The work ran but found a failure (an invalid block, a timeout, a failed check).</summary>
    public const int Failed = 1;

    /// <summary>The input could not be used: unreadable or malformed file, bad address, bad arguments.</summary>
    public const int BadInput = 2;
}
