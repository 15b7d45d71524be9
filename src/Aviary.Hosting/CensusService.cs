using System.Net;

using Aviary.Census;
using Aviary.Web;

namespace Aviary.Hosting;

/// <summary>Builds the node's census (<c>--census</c>): it reads the node through <see cref="NodeAccess"/>, on the core's thread.</summary>
public static class CensusService
{
    /// <summary>The census of the node behind <paramref name="node"/>; <paramref name="tune"/> adjusts its options (tests shorten the reply timeout).</summary>
    public static NetworkCensus Create(NodeSettings settings, NodeAccess node, Func<NetworkCensusOptions, NetworkCensusOptions>? tune = null)
    {
        var tally = new MinerTally();
        var bind = IPAddress.TryParse(settings.Bind, out var ip) ? ip : IPAddress.Any;
        var options = new NetworkCensusOptions
        {
            GradeInterval = TimeSpan.FromSeconds(settings.CensusInterval),
            Bind = bind,
            Advertise = settings.AdvertisedHost(),
            Name = $"{settings.Name}-census",
        };
        return new NetworkCensus(
            tune is null ? options : tune(options),
            cancel => node.ReadAsync(core => NodeReading.Read(core, tally), cancel),
            (height, cancel) => node.ReadAsync(core => core.Chain[height]?.Hash, cancel));
    }
}
