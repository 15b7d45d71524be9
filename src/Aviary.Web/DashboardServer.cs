using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;

using Aviary.Web.Api;
using Aviary.Web.Metrics;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Web;

/// <summary>
/// The node's status page on Kestrel: the page itself (embedded HTML, JS, CSS), a JSON API under
/// /api/, a live server-sent event stream at /api/events and Prometheus text at /metrics. It only
/// reads the node, through <see cref="NodeAccess"/>; stopping it never touches the node.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(3);

    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();
    private readonly NodeMetrics metrics;
    private readonly PrometheusText prometheus;
    private bool stopped;

    private DashboardServer(WebApplication app, NodeMetrics metrics, PrometheusText prometheus, Uri address)
    {
        this.app = app;
        this.metrics = metrics;
        this.prometheus = prometheus;
        Address = address;
    }

    /// <summary>Where the page is served (the real port when 0 was asked for).</summary>
    public Uri Address { get; }

    /// <summary>JSON as the API writes it: camelCase, relaxed escaping (the page never parses it as HTML).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Starts listening; throws <see cref="IOException"/> or <see cref="System.Net.Sockets.SocketException"/> when the address cannot be bound.</summary>
    public static async Task<DashboardServer> StartAsync(DashboardOptions options, NodeAccess node, ILoggerFactory? logging = null, CancellationToken cancel = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(DashboardServer).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(options.Bind, options.Port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<ILoggerFactory>(new QuietHostLogging(logging ?? NullLoggerFactory.Instance));
        builder.Services.AddSingleton<IHostLifetime, ManualLifetime>();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = ShutdownTimeout);
        builder.Services.ConfigureHttpJsonOptions(j =>
        {
            j.SerializerOptions.PropertyNamingPolicy = Json.PropertyNamingPolicy;
            j.SerializerOptions.Encoder = Json.Encoder;
        });
        var app = builder.Build();

        var watch = new ChainWatch();
        await node.ReadAsync(c =>
        {
            watch.Attach(c.Chain);
            return true;
        }, cancel);

        var metrics = new NodeMetrics();
        var prometheus = new PrometheusText(metrics.Meter);
        var started = DateTimeOffset.UtcNow;
        Task<StatusDto> Status(CancellationToken c)
        {
            var miner = options.Miner?.Invoke();
            return node.ReadAsync(core => StatusMapper.Status(core, watch, started, miner), c);
        }

        DashboardServer? server = null;
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
            headers["Referrer-Policy"] = "no-referrer";
            try
            {
                await next(context);
            }
            catch (TimeoutException) when (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsJsonAsync(new ErrorDto("the node did not answer in time"), Json);
            }
        });
        DashboardEndpoints.Map(app, node, watch, Status, () => server!.ScrapeAsync(node, options), () => server!.stopping.Token, options.StatusInterval);
        NetworkEndpoints.Map(app, options.Network);

        try
        {
            await app.StartAsync(cancel);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync();
            metrics.Dispose();
            prometheus.Dispose();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var bound = new Uri(addresses.First());
        var host = options.Bind.Equals(IPAddress.Any) ? "127.0.0.1" : options.Bind.Equals(IPAddress.IPv6Any) ? "[::1]" : bound.Host;
        server = new DashboardServer(app, metrics, prometheus, new UriBuilder(bound.Scheme, host, bound.Port, "/").Uri);
        return server;
    }

    /// <summary>Ends live streams, then stops listening (open requests get a few seconds).</summary>
    public async Task StopAsync()
    {
        if (stopped)
        {
            return;
        }

        stopped = true;
        await stopping.CancelAsync();
        using var limit = new CancellationTokenSource(ShutdownTimeout);
        await app.StopAsync(limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
        prometheus.Dispose();
        metrics.Dispose();
        stopping.Dispose();
    }

    private async Task<string> ScrapeAsync(NodeAccess node, DashboardOptions options)
    {
        var miner = options.Miner?.Invoke();
        var status = await node.ReadAsync(c => c.Snapshot());
        metrics.Update(status, miner);
        return prometheus.Scrape();
    }

    /// <summary>
    /// The caller's logging, less the generic host's own start/stop messages: a failure to bind is
    /// thrown to the caller, who reports it in one line instead of a stack trace.
    /// </summary>
    private sealed class QuietHostLogging(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal) ? NullLogger.Instance : inner.CreateLogger(categoryName);

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose()
        {
            // The caller owns the inner factory.
        }
    }

    /// <summary>The web host's lifetime is ours to drive: no console signal handling of its own.</summary>
    private sealed class ManualLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
