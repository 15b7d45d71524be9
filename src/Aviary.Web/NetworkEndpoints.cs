using Aviary.Web.Api;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Aviary.Web;

/// <summary>The Network page (/network) and its data (/api/network), from the node's census when it runs one.</summary>
internal static class NetworkEndpoints
{
    public static void Map(IEndpointRouteBuilder app, Func<object>? network)
    {
        app.MapGet("/network", IResult (HttpContext c) => StaticAssets.Serve("network.html", c));
        app.MapGet("/api/network", IResult () => network is null
            ? TypedResults.Json(new ErrorDto("the census is off: start the node with --census"), DashboardServer.Json, statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Json(network(), DashboardServer.Json));
    }
}
