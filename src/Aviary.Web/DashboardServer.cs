using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;

using Aviary.Web.Api;
using Aviary.Web.History;
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

using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Aviary.Web;

/// <summary>
/// The node's status page on Kestrel: the page itself (embedded HTML, JS, CSS, the chart library), a
/// JSON API under /api/, a live server-sent event stream at /api/events and Prometheus text at /metrics
/// (OpenTelemetry's exporter: the node's meter, the runtime's and the process's). It only reads the
/// node, through <see cref="NodeAccess"/>; stopping it never touches the node.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    /// <summary>The .NET runtime's own meter (GC, JIT, thread pool, exceptions, process CPU and memory).</summary>
    public const string RuntimeMeter = "System.Runtime";

    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(3);

    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping;
    private readonly NodeMetrics metrics;
    private readonly MeterProvider meters;
    private readonly Task sampling;
    private bool stopped;

    private DashboardServer(WebApplication app, NodeMetrics metrics, MeterProvider meters, CancellationTokenSource stopping, Task sampling, Uri address)
    {
        this.app = app;
        this.metrics = metrics;
        this.meters = meters;
        this.stopping = stopping;
        this.sampling = sampling;
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
        var meters = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService("aviary"))
            .AddMeter(metrics.Meter.Name, RuntimeMeter)
            .AddProcessInstrumentation()
            .WithPromtoolNames()
            .AddPrometheusExporter(o =>
            {
                o.ScrapeResponseCacheDurationMilliseconds = 0;
                o.ScopeInfoEnabled = false;
            })
            .Build();
        var history = new ChartHistory();
        var stopping = new CancellationTokenSource();
        var started = DateTimeOffset.UtcNow;
        Task<StatusDto> Status(CancellationToken c) => node.ReadAsync(core => StatusMapper.Status(core, watch, started), c);

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
        DashboardEndpoints.Map(app, node, watch, history, Status, () => stopping.Token, options.StatusInterval);
        app.MapPrometheusScrapingEndpoint("/metrics", meters, scrape => scrape.Use(async (context, next) =>
        {
            // The instruments read the snapshot taken here, on the core thread, just before the exporter collects.
            metrics.Update(await node.ReadAsync(c => c.Snapshot(), context.RequestAborted));
            await next(context);
        }), null);
        NetworkEndpoints.Map(app, options.Network);

        try
        {
            await app.StartAsync(cancel);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync();
            meters.Dispose();
            metrics.Dispose();
            stopping.Dispose();
            throw;
        }

        var sampling = SampleAsync(node, history, options.SampleInterval, stopping.Token);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var bound = new Uri(addresses.First());
        var host = options.Bind.Equals(IPAddress.Any) ? "127.0.0.1" : options.Bind.Equals(IPAddress.IPv6Any) ? "[::1]" : bound.Host;
        return new DashboardServer(app, metrics, meters, stopping, sampling, new UriBuilder(bound.Scheme, host, bound.Port, "/").Uri);
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
        await sampling;
        using var limit = new CancellationTokenSource(ShutdownTimeout);
        await app.StopAsync(limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await app.DisposeAsync();
        meters.Dispose();
        metrics.Dispose();
        stopping.Dispose();
    }

    /// <summary>Adds a chart sample every <paramref name="interval"/> until stopped; a node that does not answer in time skips a sample.</summary>
    private static async Task SampleAsync(NodeAccess node, ChartHistory history, TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                try
                {
                    history.Add(await node.ReadAsync(c => c.Snapshot(), stop));
                }
                catch (TimeoutException)
                {
                    // The core thread was busy or stopped: no sample this time.
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
        }
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
