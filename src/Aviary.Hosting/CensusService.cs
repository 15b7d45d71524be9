using System.Net;

using Aviary.Census;
using Aviary.Web;

namespace Aviary.Hosting;

/// <summary>Builds the node's census (<c>--census</c>): it reads the node through <see cref="NodeAccess"/>, on the core's thread.</summary>
public static class CensusService
{
    public static NetworkCensus Create(NodeSettings settings, NodeAccess node)
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
            options,
            cancel => node.ReadAsync(core => NodeReading.Read(core, tally), cancel),
            (height, cancel) => node.ReadAsync(core => core.Chain[height]?.Hash, cancel));
    }
}
