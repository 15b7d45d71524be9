using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

using Aviary.Hosting;
using Aviary.Node;

namespace Aviary.Cli.Tests;

/// <summary>The host <c>aviary run</c> falls back on where no per-peer host is known, and <c>--host</c> fixing one.</summary>
public sealed class AdvertisedHostSettingTests
{
    [Fact]
    public void Host_flag_wins_and_fixes_the_host()
    {
        var settings = new NodeSettings { Host = "203.0.113.4", Peers = [new PeerAddress("127.0.0.1", 8999)] };
        Assert.True(settings.FixedHost);
        Assert.Equal("203.0.113.4", settings.AdvertisedHost());
    }

    [Fact]
    public void Loopback_peers_only_give_loopback()
    {
        var settings = new NodeSettings { Peers = [new PeerAddress("127.0.0.1", 8999)] };
        Assert.False(settings.FixedHost);
        Assert.Equal("127.0.0.1", settings.AdvertisedHost());
    }

    [Fact]
    public void No_peers_is_not_every_peer_on_loopback()
    {
        // A well-known host starts with no peers: its joiners may be on other machines (issue #14).
        var hasOther = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Any(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
        Assert.SkipUnless(hasOther, "this machine has no IPv4 address but loopback");
        Assert.False(IPAddress.IsLoopback(IPAddress.Parse(new NodeSettings().AdvertisedHost())));
    }
}
