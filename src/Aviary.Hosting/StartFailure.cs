namespace Aviary.Hosting;

/// <summary>Why <see cref="NodeHost.Create"/> could not start a node.</summary>
/// <param name="Kind">Whether the settings were unusable or the chain file was refused.</param>
/// <param name="Message">What went wrong, one line for an operator (a command prints it after its name).</param>
public sealed record StartFailure(StartFailureKind Kind, string Message);

/// <summary>The kinds of <see cref="StartFailure"/>.</summary>
public enum StartFailureKind
{
    /// <summary>A setting cannot be used: a bind address, a port in use, a store that cannot be opened.</summary>
    BadSettings,

    /// <summary>The <c>--chain</c> file is malformed or its chain does not verify.</summary>
    ChainRefused,
}
