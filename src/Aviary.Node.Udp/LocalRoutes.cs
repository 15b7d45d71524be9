using System.Net;
using System.Net.Sockets;

namespace Aviary.Node.Udp;

/// <summary>
/// Which local address our datagrams to a peer leave from, asked of the kernel's routing table: a UDP
/// socket connected to the peer (connect on a datagram socket sends nothing) is given the source
/// address the kernel picks for that destination, the same one <c>sendto</c> on the host's
/// wildcard-bound socket uses, so it is the address the peer sees us on. Core thread only.
/// </summary>
/// <remarks>
/// The address a peer's datagrams arrived on (IP_PKTINFO) would differ from this only on asymmetric
/// routes, and would have to travel with every datagram through the fair inbox; the route lookup
/// needs nothing on the receive path.
/// </remarks>
internal sealed class LocalRoutes(IPAddress bound, AddressBook? addresses = null)
{
    /// <summary>Destinations remembered; a flood of forged originators only costs a refill (each lookup is one socket).</summary>
    private const int MaxEntries = 1024;

    /// <summary>
    /// Lookups per second, at most. Each costs a socket (about 30 µs measured here), and every new
    /// originator of a GOSSIP asks for one before the amplification guard decides whether to answer:
    /// past the budget, the last answer (even expired) stands, else the configured host.
    /// </summary>
    private const int MaxLookupsPerSecond = 100;

    /// <summary>How long an answer is kept: routes change (a VPN, a new lease), and a failed lookup may succeed later.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly Dictionary<IPAddress, (string? Host, long Expires)> cache = [];
    private long budgetSecond;
    private int budgetSpent;

    /// <summary>Lookups made (not answered from the cache), for tests.</summary>
    public long Lookups { get; private set; }

    /// <summary>The host <paramref name="to"/> reaches us on; null while its name is being looked up (see <see cref="For(IPAddress)"/>).</summary>
    public string? For(PeerAddress to)
    {
        if (IPAddress.TryParse(to.Host, out var ip))
        {
            return For(ip);
        }

        // A name: its address once the address book has looked it up (the first sends to it wait for that too).
        return addresses?.Resolve(to) is { } resolved
            ? For(((IPEndPoint)new IPEndPoint(resolved.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(resolved)).Address)
            : null;
    }

    /// <summary>
    /// The host <paramref name="to"/> reaches us on; null when no route leads there, or when the only
    /// answer is loopback and <paramref name="to"/> is not (a peer elsewhere cannot use it).
    /// </summary>
    public string? For(IPAddress to)
    {
        if (to.IsIPv4MappedToIPv6)
        {
            to = to.MapToIPv4();
        }

        var now = Environment.TickCount64;
        var found = cache.TryGetValue(to, out var known);
        if ((found && known.Expires > now) || !Spend(now))
        {
            return found ? known.Host : null;
        }

        if (cache.Count >= MaxEntries)
        {
            foreach (var expired in cache.Where(c => c.Value.Expires <= now).Select(c => c.Key).ToList())
            {
                cache.Remove(expired);
            }

            if (cache.Count >= MaxEntries)
            {
                cache.Clear();
            }
        }

        var host = Reachable(to, Source(to));
        cache[to] = (host, now + (long)Lifetime.TotalMilliseconds);
        return host;
    }

    /// <summary>Takes one lookup from this second's budget; false when it is spent.</summary>
    private bool Spend(long now)
    {
        if (now / 1000 != budgetSecond)
        {
            budgetSecond = now / 1000;
            budgetSpent = 0;
        }

        return budgetSpent++ < MaxLookupsPerSecond;
    }

    /// <summary>Loopback only toward loopback; a scoped IPv6 address without its scope, which means nothing to the peer.</summary>
    internal static string? Reachable(IPAddress to, IPAddress? source)
    {
        if (source is null || (IPAddress.IsLoopback(source) && !IPAddress.IsLoopback(to)))
        {
            return null;
        }

        if (source.IsIPv4MappedToIPv6)
        {
            source = source.MapToIPv4();
        }

        if (source.AddressFamily == AddressFamily.InterNetworkV6 && source.ScopeId != 0)
        {
            source = new IPAddress(source.GetAddressBytes());
        }

        return source.ToString();
    }

    private IPAddress? Source(IPAddress to)
    {
        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
        {
            // Bound to one address: every datagram leaves from it.
            return bound;
        }

        Lookups++;
        try
        {
            using var probe = new Socket(to.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(to, 9));
            return (probe.LocalEndPoint as IPEndPoint)?.Address;
        }
        catch (SocketException)
        {
            // No route (unreachable network, no address of that family): the caller names its default.
            return null;
        }
    }
}
