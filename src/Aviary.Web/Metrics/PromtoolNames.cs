using OpenTelemetry.Metrics;

namespace Aviary.Web.Metrics;

/// <summary>
/// The runtime's and the process's gauges whose names end in ".count" are renamed: Prometheus keeps the
/// <c>_count</c> suffix for histograms and summaries, and <c>promtool check metrics</c> flags a gauge that
/// wears it. Everything else keeps its OpenTelemetry name.
/// </summary>
public static class PromtoolNames
{
    /// <summary>Instrument name, and the name /metrics gives it.</summary>
    public static readonly IReadOnlyDictionary<string, string> Renamed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dotnet.assembly.count"] = "dotnet.assemblies",
        ["dotnet.process.cpu.count"] = "dotnet.process.cpus",
        ["dotnet.timer.count"] = "dotnet.timers",
        ["process.thread.count"] = "process.threads",
        ["process.unix.file_descriptor.count"] = "process.unix.file_descriptors",
    };

    /// <summary>Adds a view per renamed instrument.</summary>
    public static MeterProviderBuilder WithPromtoolNames(this MeterProviderBuilder builder)
    {
        foreach (var (instrument, name) in Renamed)
        {
            builder.AddView(instrument, name);
        }

        return builder;
    }
}
