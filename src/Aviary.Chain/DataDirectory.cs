namespace Aviary.Chain;

/// <summary>
/// Where a node keeps its data: one folder per network name under
/// <c>$XDG_DATA_HOME/aviary</c> when that variable is set, else under the platform's local application
/// data folder (<c>~/.local/share/aviary</c> on Linux, <c>%LOCALAPPDATA%\aviary</c> on Windows).
/// <c>--data DIR</c> replaces the whole path: DIR itself then holds <see cref="ChainDatabaseFileName"/>.
/// </summary>
public static class DataDirectory
{
    /// <summary>The folder under the data root that holds every network's folder.</summary>
    public const string ApplicationFolder = "aviary";

    /// <summary>The SQLite chain database inside a data directory.</summary>
    public const string ChainDatabaseFileName = "chain.db";

    /// <summary>Network names become folder names, so they are kept short and plain.</summary>
    public const int MaxNetworkNameLength = 64;

    /// <summary>The default data directory of <paramref name="network"/> for the current user.</summary>
    public static string Default(string network) =>
        Default(network, Environment.GetEnvironmentVariable("XDG_DATA_HOME"), Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify));

    /// <summary>
    /// The default data directory given the value of <c>XDG_DATA_HOME</c> (ignored unless an absolute
    /// path, as the XDG specification says) and the platform's local application data folder.
    /// </summary>
    public static string Default(string network, string? xdgDataHome, string localApplicationData)
    {
        if (!IsValidNetworkName(network))
        {
            throw new ArgumentException($"a network name is 1 to {MaxNetworkNameLength} letters, digits, '-', '_' or '.', not starting with '.': \"{network}\"", nameof(network));
        }

        var root = !string.IsNullOrEmpty(xdgDataHome) && Path.IsPathFullyQualified(xdgDataHome)
            ? xdgDataHome
            : !string.IsNullOrEmpty(localApplicationData)
                ? localApplicationData
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(root, ApplicationFolder, network);
    }

    /// <summary>The data directory to use: <paramref name="dataOption"/> (from <c>--data</c>) when given, else the network's default.</summary>
    public static string Resolve(string? dataOption, string network) =>
        string.IsNullOrWhiteSpace(dataOption) ? Default(network) : Path.GetFullPath(dataOption);

    /// <summary>The chain database file inside <paramref name="directory"/>.</summary>
    public static string ChainDatabase(string directory) => Path.Combine(directory, ChainDatabaseFileName);

    /// <summary>True for names that are safe as one folder name on every platform.</summary>
    public static bool IsValidNetworkName(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxNetworkNameLength
        && name[0] != '.'
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
