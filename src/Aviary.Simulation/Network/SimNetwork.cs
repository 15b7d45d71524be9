using Aviary.Node;

namespace Aviary.Simulation.Network;

/// <summary>
/// The in-memory network: routes datagrams by address, applies each directed link's loss,
/// duplication and latency, drops what crosses a cut link, and schedules every surviving copy on the
/// event loop. Sources are whatever the sender claims (UDP can be spoofed); replies to an address
/// nobody listens on are dropped and counted.
/// </summary>
public sealed class SimNetwork(EventLoop loop, TraceHash trace, SimRandom random, ulong linkSeed)
{
    private readonly Dictionary<PeerAddress, int> routes = [];
    private readonly List<INetworkEndpoint> endpoints = [];
    private readonly Dictionary<(int, int), int> cuts = [];
    private readonly Dictionary<(int, int), LinkProfile> overrides = [];
    private readonly Dictionary<(int, int), LinkProfile> drawn = [];
    private readonly Dictionary<(int, int), (long Sent, long Arrived)> order = [];
    private LinkFaults faults = LinkFaults.Calm;

    public NetworkStats Stats { get; } = new();

    public IReadOnlyList<INetworkEndpoint> Endpoints => endpoints;

    /// <summary>The ranges every link's profile is drawn from; changing it redraws every link.</summary>
    public LinkFaults Faults
    {
        get => faults;
        set
        {
            faults = value;
            drawn.Clear();
        }
    }

    /// <summary>Undirected links currently cut (each counted once).</summary>
    public int CutLinks => cuts.Count;

    /// <summary>Adds a participant listening on <paramref name="address"/>; returns its index.</summary>
    public int Register(PeerAddress address, INetworkEndpoint endpoint)
    {
        if (routes.ContainsKey(address))
        {
            throw new InvalidOperationException($"{address} is already taken");
        }

        endpoints.Add(endpoint);
        routes[address] = endpoints.Count - 1;
        return endpoints.Count - 1;
    }

    /// <summary>A second address that reaches participant <paramref name="index"/> (a second socket).</summary>
    public void AddAlias(PeerAddress alias, int index)
    {
        if (!routes.TryAdd(alias, index))
        {
            throw new InvalidOperationException($"{alias} is already taken");
        }
    }

    /// <summary>The participant listening on <paramref name="address"/>, if any.</summary>
    public int? Resolve(PeerAddress address) => routes.TryGetValue(address, out var i) ? i : null;

    /// <summary>Fixes the profile of the directed link <paramref name="from"/> → <paramref name="to"/>, whatever <see cref="Faults"/> says.</summary>
    public void SetLink(int from, int to, LinkProfile profile) => overrides[(from, to)] = profile;

    /// <summary>The profile the directed link uses now.</summary>
    public LinkProfile ProfileOf(int from, int to)
    {
        if (overrides.TryGetValue((from, to), out var fixedProfile))
        {
            return fixedProfile;
        }

        if (!drawn.TryGetValue((from, to), out var profile))
        {
            profile = faults.ProfileOf(linkSeed, from, to);
            drawn[(from, to)] = profile;
        }

        return profile;
    }

    /// <summary>Cuts the link between <paramref name="a"/> and <paramref name="b"/> both ways. Cuts nest: each needs its own restore.</summary>
    public void Cut(int a, int b)
    {
        var key = Key(a, b);
        cuts[key] = cuts.GetValueOrDefault(key) + 1;
        trace.Event(loop.Now, $"cut {endpoints[key.Item1].Name}-{endpoints[key.Item2].Name}");
    }

    /// <summary>Undoes one <see cref="Cut"/> of the link.</summary>
    public void Restore(int a, int b)
    {
        var key = Key(a, b);
        if (!cuts.TryGetValue(key, out var n))
        {
            return;
        }

        if (n <= 1)
        {
            cuts.Remove(key);
        }
        else
        {
            cuts[key] = n - 1;
        }

        trace.Event(loop.Now, $"restore {endpoints[key.Item1].Name}-{endpoints[key.Item2].Name}");
    }

    /// <summary>Every cut link, each once, in the order they were first cut.</summary>
    public List<(int A, int B)> CutList() => [.. cuts.Keys];

    /// <summary>Restores a link completely, whatever number of cuts it carries.</summary>
    public void RestoreFully(int a, int b)
    {
        if (cuts.Remove(Key(a, b)))
        {
            trace.Event(loop.Now, $"restore {endpoints[Math.Min(a, b)].Name}-{endpoints[Math.Max(a, b)].Name}");
        }
    }

    public bool IsCut(int a, int b) => cuts.ContainsKey(Key(a, b));

    /// <summary>Sends <paramref name="datagram"/> from participant <paramref name="from"/>, claiming <paramref name="source"/> as its source.</summary>
    public void Send(int from, PeerAddress source, PeerAddress to, ReadOnlySpan<byte> datagram)
    {
        Stats.Sent++;
        if (!routes.TryGetValue(to, out var target))
        {
            Stats.Unroutable++;
            return;
        }

        if (from != target && IsCut(from, target))
        {
            Stats.Cut++;
            return;
        }

        var profile = from == target ? LinkProfile.Perfect : ProfileOf(from, target);
        if (random.Chance(profile.Loss))
        {
            Stats.Lost++;
            return;
        }

        var bytes = datagram.ToArray();
        var copies = random.Chance(profile.Duplication) ? 2 : 1;
        Stats.Duplicated += copies - 1;
        var link = (from, target);
        var sequence = order.GetValueOrDefault(link).Sent + 1;
        order[link] = (sequence, order.GetValueOrDefault(link).Arrived);
        for (var i = 0; i < copies; i++)
        {
            var latency = profile.BaseLatency + random.Between(TimeSpan.Zero, profile.Jitter);
            loop.After(latency, () => Arrive(link, sequence, source, to, bytes));
        }
    }

    private void Arrive((int From, int To) link, long sequence, PeerAddress source, PeerAddress to, byte[] bytes)
    {
        var endpoint = endpoints[link.To];
        if (!endpoint.IsUp)
        {
            Stats.ToDownNode++;
            return;
        }

        var state = order[link];
        if (sequence < state.Arrived)
        {
            Stats.Reordered++;
        }
        else
        {
            order[link] = (state.Sent, sequence);
        }

        Stats.Delivered++;
        trace.Datagram(loop.Now, source.ToString(), to.ToString(), bytes);
        endpoint.Deliver(source, bytes);
    }

    private static (int, int) Key(int a, int b) => a <= b ? (a, b) : (b, a);
}
