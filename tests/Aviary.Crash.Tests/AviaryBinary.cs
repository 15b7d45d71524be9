using System.Reflection;

namespace Aviary.Crash.Tests;

/// <summary>Where the built <c>aviary</c> command is, and the <c>dotnet</c> host that runs it.</summary>
internal static class AviaryBinary
{
    /// <summary>
    /// <c>src/Aviary.Cli/bin/CONFIGURATION/net10.0/aviary.dll</c> of the solution this test was built in
    /// (the project reference builds it first, in the same configuration).
    /// </summary>
    public static string Dll()
    {
        var configuration = typeof(AviaryBinary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "AviaryConfiguration").Value!;
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Aviary.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.True(directory is not null, $"no Aviary.slnx above {AppContext.BaseDirectory}");
        var dll = Path.Combine(directory.FullName, "src", "Aviary.Cli", "bin", configuration, "net10.0", "aviary.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build src/Aviary.Cli in {configuration} first");
        return dll;
    }

    /// <summary>The dotnet host: the one that runs the tests when known, else <c>dotnet</c> from PATH.</summary>
    public static string Host()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
