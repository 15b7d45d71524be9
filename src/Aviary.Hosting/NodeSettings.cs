using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

using Aviary.Hosting.Mining;
using Aviary.Node;

using Microsoft.Extensions.Configuration;

namespace Aviary.Hosting;

/// <summary>
/// The settings of <c>aviary run</c>, merged from <c>aviary.json</c>, then <c>AVIARY_*</c>
/// environment variables, then flags (each overriding the one before).
/// </summary>
public sealed record NodeSettings
{
    public string Network { get; init; } = NetworkPresets.Local.Name;

    public string Name { get; init; } = "Aviary";

    public string? Host { get; init; }

    public int Port { get; init; } = 8999;

    public string Bind { get; init; } = "0.0.0.0";

    public IReadOnlyList<PeerAddress> Peers { get; init; } = [];

    public int? Difficulty { get; init; }

    public string? Data { get; init; }

    public bool InMemory { get; init; }

    public string? Id { get; init; }

    public string? ChainFile { get; init; }

    /// <summary>TCP port of the dashboard; 0 turns it off. The course hosts use 8998.</summary>
    public int WebPort { get; init; } = 8998;

    /// <summary>Address the dashboard listens on: loopback unless asked otherwise.</summary>
    public string WebBind { get; init; } = "127.0.0.1";

    /// <summary>Mining: on or off, threads, default message, genesis, remote workers.</summary>
    public MiningSettings Mining { get; init; } = new();

    /// <summary>Response rate limits for unproven addresses (the <c>ResponseLimits</c> section).</summary>
    public Node.Limits.ResponseLimits ResponseLimits { get; init; } = new();

    /// <summary>Verified sync blocks per store transaction; null keeps <see cref="Node.Sync.SyncLimits.CommitBatch"/>'s default.</summary>
    public int? CommitBatch { get; init; }

    /// <summary>Keep a census of every peer ever heard of and grade them one by one (the dashboard's Network page).</summary>
    public bool Census { get; init; }

    /// <summary>Seconds between two gradings of the census (one peer each).</summary>
    public int CensusInterval { get; init; } = 60;

    /// <summary>The keys <c>aviary.json</c> may hold (any case); another is a typo to report, not to ignore.</summary>
    public static IReadOnlyList<string> FileKeys { get; } =
    [
        "Network", "Name", "Host", "Port", "Bind", "Peers", "Difficulty", "Data", "InMemory", "Id", "Chain",
        "WebPort", "WebBind", "NoWeb", "CommitBatch", "Mine", "Threads", "MineMessage", "Genesis", "MinerPort",
        "MinerBind", "Gpu", "GpuDevice", "GpuAccelerator", "Census", "CensusInterval", "ResponseLimits",
    ];

    /// <summary>Reads the merged configuration; false with a message on a bad value.</summary>
    public static bool TryLoad(string? configFile, IDictionary<string, string?> flags, IEnumerable<string> flagPeers, out NodeSettings settings, out string error, IReadOnlyList<string>? flagGenesis = null)
    {
        settings = new NodeSettings();
        error = string.Empty;
        var path = configFile ?? Path.Combine(Directory.GetCurrentDirectory(), "aviary.json");
        if (configFile is not null && !File.Exists(configFile))
        {
            error = $"config file {configFile} does not exist";
            return false;
        }

        IConfiguration config;
        try
        {
            config = new ConfigurationBuilder()
                .AddJsonFile(path, optional: true)
                .AddEnvironmentVariables("AVIARY_")
                .AddInMemoryCollection(flags.Where(f => f.Value is not null))
                .Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            error = $"cannot read {path}: {e.Message}";
            return false;
        }

        if (UnknownFileKey(config) is { } unknown)
        {
            error = $"unknown key \"{unknown}\" in {path}; known: {string.Join(", ", FileKeys)}";
            return false;
        }

        var network = config["Network"] ?? NetworkPresets.Local.Name;
        if (NetworkPresets.Find(network) is not { } preset)
        {
            error = $"unknown network \"{network}\"; known: {string.Join(", ", NetworkPresets.All.Select(p => p.Name))}";
            return false;
        }

        var peers = new List<PeerAddress>(preset.Bootstrap);
        var peerTexts = flagPeers.ToList();
        if (peerTexts.Count == 0)
        {
            peerTexts = config["Peers"] is { Length: > 0 } joined
                ? [.. joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                : [.. config.GetSection("Peers").GetChildren().Select(c => c.Value ?? string.Empty)];
        }

        foreach (var text in peerTexts)
        {
            if (!PeerAddress.TryParse(text, out var peer, out var why))
            {
                error = $"bad peer: {why}";
                return false;
            }

            peers.Add(peer);
        }

        var limits = new Node.Sync.SyncLimits();
        if (!ConfigValues.TryInt(config, "Port", 8999, 1, 65535, out var port, ref error)
            || !ConfigValues.TryInt(config, "Difficulty", preset.Difficulty, 0, 64, out var difficulty, ref error)
            || !ConfigValues.TryInt(config, "WebPort", 8998, 0, 65535, out var webPort, ref error)
            || !ConfigValues.TryInt(config, "CommitBatch", limits.CommitBatch, 1, limits.Window, out var commitBatch, ref error)
            || !ConfigValues.TryInt(config, "CensusInterval", 60, 1, 86_400, out var censusInterval, ref error))
        {
            return false;
        }

        if (string.Equals(config["NoWeb"], "true", StringComparison.OrdinalIgnoreCase))
        {
            webPort = 0;
        }

        if (!MiningSettings.TryRead(config, flagGenesis ?? [], out var mining, out error)
            || !ResponseLimitSettings.TryRead(config, out var responseLimits, out error))
        {
            return false;
        }

        settings = new NodeSettings
        {
            Network = preset.Name,
            Name = config["Name"] ?? "Aviary",
            Host = config["Host"],
            Port = port,
            Bind = config["Bind"] ?? "0.0.0.0",
            Peers = [.. peers.Distinct()],
            Difficulty = difficulty,
            Data = config["Data"],
            InMemory = string.Equals(config["InMemory"], "true", StringComparison.OrdinalIgnoreCase),
            Id = config["Id"],
            ChainFile = config["Chain"],
            WebPort = webPort,
            WebBind = config["WebBind"] ?? "127.0.0.1",
            Mining = mining,
            ResponseLimits = responseLimits,
            CommitBatch = config["CommitBatch"] is null ? null : commitBatch,
            Census = string.Equals(config["Census"], "true", StringComparison.OrdinalIgnoreCase),
            CensusInterval = censusInterval,
        };
        return true;
    }

    private static string? UnknownFileKey(IConfiguration config) =>
        ((IConfigurationRoot)config).Providers.OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationProvider>()
            .SelectMany(p => p.GetChildKeys([], null))
            .FirstOrDefault(k => !FileKeys.Contains(k, StringComparer.OrdinalIgnoreCase));

    /// <summary>True when <c>--host</c> names one host for every peer; else each peer is told the local address it reaches us on.</summary>
    public bool FixedHost => !string.IsNullOrEmpty(Host);

    /// <summary>
    /// The host to advertise where no per-peer address is known (and to show as ours): the flag, else
    /// loopback when there are peers and every one is on loopback, else this machine's first IPv4
    /// address. With no peers at all (a well-known host starting) the joiners are unknown, so loopback
    /// is no better a guess than any other: it was what such a host told joiners on other machines.
    /// </summary>
    public string AdvertisedHost()
    {
        if (!string.IsNullOrEmpty(Host))
        {
            return Host;
        }

        if (Peers.Count > 0 && Peers.All(p => IPAddress.TryParse(p.Host, out var ip) && IPAddress.IsLoopback(ip)))
        {
            return "127.0.0.1";
        }

        var local = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
        return local?.ToString() ?? "127.0.0.1";
    }
}

/// <summary>Networks the node knows by name: their well-known hosts (names, never hard-coded IPs) and difficulty.</summary>
public sealed record NetworkPresets(string Name, int Difficulty, IReadOnlyList<PeerAddress> Bootstrap)
{
    /// <summary>A network of our own: no bootstrap, nothing sent anywhere until a peer gossips to us.</summary>
    public static readonly NetworkPresets Local = new("local", 8, []);

    /// <summary>The course's main network ("aviary lab", protocol.md §10).</summary>
    public static readonly NetworkPresets Umanitoba = new("umanitoba", 8, [new PeerAddress("silicon.cs.umanitoba.ca", 8999)]);

    public static IReadOnlyList<NetworkPresets> All { get; } = [Local, Umanitoba];

    public static NetworkPresets? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
