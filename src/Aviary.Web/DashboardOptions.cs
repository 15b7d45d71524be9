using System.Net;

namespace Aviary.Web;

/// <summary>Where and how the dashboard is served.</summary>
public sealed record DashboardOptions
{
    /// <summary>The course hosts serve their status page on 8998 (protocol.md §10).</summary>
    public const int DefaultPort = 8998;

    /// <summary>Address to listen on; loopback unless the operator asks otherwise.</summary>
    public IPAddress Bind { get; init; } = IPAddress.Loopback;

    /// <summary>TCP port; 0 picks a free one (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>How often the live stream pushes a status event.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the server adds a sample to the charts' history.</summary>
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The network as the node's census sees it (GET /api/network), or null when the census is off. Called from web threads.</summary>
    public Func<object>? Network { get; init; }
}
