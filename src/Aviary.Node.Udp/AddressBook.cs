using System.Net;
using System.Net.Sockets;

using Microsoft.Extensions.Logging;

namespace Aviary.Node.Udp;

/// <summary>
/// Caches the mapping between socket addresses and <see cref="PeerAddress"/> both ways, and resolves
/// host names off the core thread. Bounded: each cache is cleared when it reaches its cap.
/// </summary>
internal sealed class AddressBook(AddressFamily family, Action<Action> post, ILogger logger)
{
    /// <summary>Distinct addresses cached per direction; a forged-source flood only costs a cache refill.</summary>
    private const int MaxEntries = 8192;

    /// <summary>
    /// Host names being looked up, or whose lookup failed recently. Names come from GOSSIP host fields,
    /// so a flood of made-up names must not become a flood of DNS queries or a growing table: past the
    /// cap, sends to further unresolved names are dropped until old entries age out.
    /// </summary>
    private const int MaxPendingLookups = 64;

    /// <summary>How long a failed lookup is remembered before it is tried again.</summary>
    private static readonly TimeSpan RetryFailedLookup = TimeSpan.FromSeconds(30);

    private readonly Dictionary<SocketAddress, PeerAddress> inbound = [];
    private readonly Dictionary<PeerAddress, SocketAddress> outbound = [];
    private readonly Dictionary<string, DateTimeOffset> pending = new(StringComparer.OrdinalIgnoreCase);

    public long Unresolved { get; private set; }

    /// <summary>Lookups not started because <see cref="MaxPendingLookups"/> names were already pending.</summary>
    public long LookupsRefused { get; private set; }

    public PeerAddress From(SocketAddress address)
    {
        if (inbound.TryGetValue(address, out var peer))
        {
            return peer;
        }

        if (inbound.Count >= MaxEntries)
        {
            inbound.Clear();
        }

        var endPoint = (IPEndPoint)new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(address);
        peer = PeerAddress.From(endPoint);
        var key = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span.CopyTo(key.Buffer.Span);
        inbound[key] = peer;
        return peer;
    }

    public SocketAddress? Resolve(PeerAddress to)
    {
        if (outbound.TryGetValue(to, out var cached))
        {
            return cached;
        }

        if (IPAddress.TryParse(to.Host, out var ip))
        {
            return Remember(to, ip);
        }

        Unresolved++;
        var now = DateTimeOffset.UtcNow;
        if (pending.TryGetValue(to.Host, out var since) && now - since < RetryFailedLookup)
        {
            return null;
        }

        if (!pending.ContainsKey(to.Host) && pending.Count >= MaxPendingLookups)
        {
            foreach (var stale in pending.Where(p => now - p.Value >= RetryFailedLookup).Select(p => p.Key).ToList())
            {
                pending.Remove(stale);
            }

            if (pending.Count >= MaxPendingLookups)
            {
                LookupsRefused++;
                return null;
            }
        }

        pending[to.Host] = now;
        _ = LookUp(to);
        return null;
    }

    private SocketAddress? Remember(PeerAddress to, IPAddress ip)
    {
        if (family == AddressFamily.InterNetwork && ip.AddressFamily != AddressFamily.InterNetwork)
        {
            if (!ip.IsIPv4MappedToIPv6)
            {
                return null;
            }

            ip = ip.MapToIPv4();
        }
        else if (family == AddressFamily.InterNetworkV6 && ip.AddressFamily == AddressFamily.InterNetwork)
        {
            ip = ip.MapToIPv6();
        }

        if (outbound.Count >= MaxEntries)
        {
            outbound.Clear();
        }

        var address = new IPEndPoint(ip, to.Port).Serialize();
        outbound[to] = address;
        return address;
    }

    private async Task LookUp(PeerAddress to)
    {
        try
        {
            var ips = await Dns.GetHostAddressesAsync(to.Host).ConfigureAwait(false);
            var ip = ips.FirstOrDefault(a => a.AddressFamily == family) ?? ips.FirstOrDefault();
            if (ip is null)
            {
                logger.LogWarning("{Host} has no address; will try again in {Retry}", to.Host, RetryFailedLookup);
                return;
            }

            post(() =>
            {
                pending.Remove(to.Host);
                Remember(to, ip);
            });
        }
        catch (SocketException e)
        {
            logger.LogWarning("cannot resolve {Host}: {Error}; will try again in {Retry}", to.Host, e.SocketErrorCode, RetryFailedLookup);
        }
    }
}
