using System.Net;

using Aviary.Node.Udp;

using Microsoft.Extensions.Logging.Abstractions;

namespace Aviary.Node.Tests.Integration;

/// <summary>The UDP host's answer to "which host does this peer reach us on", from the kernel's routes.</summary>
public sealed class LocalRoutesTests
{
    /// <summary>TEST-NET-1 (RFC 5737): looking a route up connects a socket, which sends nothing.</summary>
    private static readonly IPAddress Elsewhere = IPAddress.Parse("192.0.2.77");

    [Fact]
    public void A_loopback_peer_is_told_loopback()
    {
        Assert.Equal("127.0.0.1", new LocalRoutes(IPAddress.Any).For(IPAddress.Loopback));
    }

    [Fact]
    public void A_peer_elsewhere_is_never_told_loopback()
    {
        // Null where this machine has no route there; otherwise the address it would send from.
        var host = new LocalRoutes(IPAddress.Any).For(Elsewhere);
        Assert.True(host is null || !IPAddress.IsLoopback(IPAddress.Parse(host)), $"named {host} to {Elsewhere}");
        Assert.Null(new LocalRoutes(IPAddress.Loopback).For(Elsewhere));
        Assert.Null(LocalRoutes.Reachable(Elsewhere, IPAddress.Loopback));
        Assert.Null(LocalRoutes.Reachable(IPAddress.Parse("2001:db8::1"), IPAddress.IPv6Loopback));
    }

    [Fact]
    public void A_socket_bound_to_one_address_names_it()
    {
        Assert.Equal("192.0.2.5", new LocalRoutes(IPAddress.Parse("192.0.2.5")).For(Elsewhere));
    }

    [Fact]
    public void Answers_are_cached_and_scopes_dropped()
    {
        var routes = new LocalRoutes(IPAddress.Any);
        routes.For(IPAddress.Loopback);
        routes.For(IPAddress.Loopback.MapToIPv6());
        Assert.Equal(1, routes.Lookups);
        Assert.Equal("fe80::1", LocalRoutes.Reachable(IPAddress.Parse("fe80::2%1"), IPAddress.Parse("fe80::1%1")));
        Assert.Equal("10.0.0.1", LocalRoutes.Reachable(IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.1").MapToIPv6()));
    }

    [Fact]
    public void Lookups_are_rationed_so_a_flood_of_new_peers_cannot_buy_many()
    {
        var routes = new LocalRoutes(IPAddress.Any);
        for (var i = 0; i < 1000; i++)
        {
            // 198.18.0.0/15, set aside for benchmarks (RFC 2544): no lookup sends anything anyway.
            routes.For(new IPAddress([198, 18, (byte)(i >> 8), (byte)i]));
        }

        // At most two budget seconds can pass during the loop on a slow machine.
        Assert.InRange(routes.Lookups, 100, 300);
    }

    [Fact]
    public void The_host_names_nothing_unless_asked_so_a_fixed_host_wins()
    {
        using var fixedHost = new UdpHost(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        Assert.Null(fixedHost.LocalHostFor(new PeerAddress("127.0.0.1", 9000)));

        using var naming = new UdpHost(new IPEndPoint(IPAddress.Any, 0), NullLogger.Instance) { NamesLocalHost = true };
        Assert.Equal("127.0.0.1", naming.LocalHostFor(new PeerAddress("127.0.0.1", 9000)));
        var elsewhere = naming.LocalHostFor(new PeerAddress(Elsewhere.ToString(), 9000));
        Assert.True(elsewhere is null || !IPAddress.IsLoopback(IPAddress.Parse(elsewhere)), $"named {elsewhere}");
    }
}
