using Aviary.Web.Api;
using Aviary.Web.History;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Aviary.Web;

/// <summary>The routes: the page and its assets, /api/* and /api/events (SSE); /metrics is the exporter's.</summary>
internal static class DashboardEndpoints
{
    public static void Map(
        IEndpointRouteBuilder app,
        NodeAccess node,
        ChainWatch watch,
        ChartHistory history,
        Func<CancellationToken, Task<StatusDto>> status,
        Func<CancellationToken> stopping,
        TimeSpan interval)
    {
        var json = DashboardServer.Json;
        app.MapGet("/", async Task<IResult> (HttpContext c) =>
        {
            var status0 = await status(c.RequestAborted);
            var blocks = await node.ReadAsync(core => StatusMapper.Page(core.Chain, null, StatusMapper.DefaultPage), c.RequestAborted);
            c.Response.Headers.CacheControl = "no-cache";
            return TypedResults.Content(StaticAssets.PageWithState(new InitialStateDto(status0, blocks)), "text/html; charset=utf-8");
        });
        foreach (var name in StaticAssets.Names.Where(n => n != "index.html"))
        {
            app.MapGet($"/{name}", IResult (HttpContext c) => StaticAssets.Serve(name, c));
        }

        // Handlers name their result type: an async lambda taking only HttpContext would bind as a
        // RequestDelegate and its result would be dropped.
        app.MapGet("/api/status", async Task<IResult> (CancellationToken cancel) => TypedResults.Json(await status(cancel), json));

        app.MapGet("/api/peers", async Task<IResult> (CancellationToken cancel) =>
            TypedResults.Json(await node.ReadAsync(core => StatusMapper.Peers(core.Snapshot()), cancel), json));

        app.MapGet("/api/blocks", async Task<IResult> (long? from, int? count, CancellationToken cancel) =>
            TypedResults.Json(await node.ReadAsync(core => StatusMapper.Page(core.Chain, from, count ?? StatusMapper.DefaultPage), cancel), json));

        app.MapGet("/api/blocks/{height:long}", async Task<IResult> (long height, CancellationToken cancel) =>
            await node.ReadAsync(core => StatusMapper.Block(core.Chain, height), cancel) is { } block
                ? TypedResults.Json(block, json)
                : TypedResults.Json(new ErrorDto($"no block at height {height}"), json, statusCode: StatusCodes.Status404NotFound));

        app.MapGet("/api/events", IResult (HttpContext c) =>
        {
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(c.RequestAborted, stopping());
            c.Response.RegisterForDispose(cancel);
            var live = new LiveEvents(node, watch, () => status(cancel.Token), json, interval);
            return TypedResults.ServerSentEvents(live.StreamAsync(cancel.Token));
        });

        app.MapGet("/api/history", async Task<IResult> (CancellationToken cancel) =>
            TypedResults.Json(new HistoryDto(history.Points, ChartHistory.MaxPoints, await node.ReadAsync(core => StatusMapper.Intervals(core.Chain, ChartHistory.MaxIntervals), cancel)), json));
    }
}
