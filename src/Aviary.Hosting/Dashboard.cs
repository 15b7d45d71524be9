using System.Net;

using Aviary.Web;

using Microsoft.Extensions.Logging;

namespace Aviary.Hosting;

/// <summary>Starts the status page beside the node when the settings ask for one; a failure to bind is logged, not fatal.</summary>
public static class Dashboard
{
    /// <summary>The running dashboard, or null when it is off or could not start.</summary>
    public static async Task<DashboardServer?> StartAsync(NodeSettings settings, NodeAccess node, ILoggerFactory logging, ILogger logger, Func<object>? network = null)
    {
        if (settings.WebPort == 0)
        {
            return null;
        }

        if (!IPAddress.TryParse(settings.WebBind, out var bind))
        {
            logger.LogError("dashboard off: --web-bind must be an IP address, got \"{Bind}\"", settings.WebBind);
            return null;
        }

        try
        {
            var server = await DashboardServer.StartAsync(new DashboardOptions { Bind = bind, Port = settings.WebPort, Network = network }, node, logging);
            logger.LogInformation("dashboard on {Address}", server.Address);
            return server;
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            logger.LogError("dashboard off: cannot listen on {Bind}:{Port}: {Error}", settings.WebBind, settings.WebPort, e.Message);
            return null;
        }
    }
}
