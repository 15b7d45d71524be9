using System.CommandLine;

using Aviary.Chain;

namespace Aviary.Cli;

/// <summary>The <c>--data DIR</c> and <c>--network NAME</c> options that pick the data directory.</summary>
internal static class DataOptions
{
    /// <summary>The network whose data directory is used when none is named.</summary>
    public const string DefaultNetwork = "local";

    public static Option<string?> Data() => new("--data")
    {
        Description = "data directory holding chain.db (default: $XDG_DATA_HOME/aviary/NETWORK, else ~/.local/share/aviary/NETWORK)",
    };

    public static Option<string> Network() => new("--network")
    {
        Description = "network name; picks the default data directory",
        DefaultValueFactory = _ => DefaultNetwork,
    };

    /// <summary>The data directory, or false after telling <paramref name="error"/> why the options are unusable.</summary>
    public static bool TryResolve(string? data, string network, string command, TextWriter error, out string directory)
    {
        directory = string.Empty;
        if (!DataDirectory.IsValidNetworkName(network))
        {
            error.WriteLine($"aviary {command}: --network must be 1 to {DataDirectory.MaxNetworkNameLength} letters, digits, '-', '_' or '.', not starting with '.', got \"{network}\"");
            return false;
        }

        try
        {
            directory = DataDirectory.Resolve(data, network);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            error.WriteLine($"aviary {command}: --data \"{data}\" is not a usable path: {e.Message}");
            return false;
        }
    }
}
