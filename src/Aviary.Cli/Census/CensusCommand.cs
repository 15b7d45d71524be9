using System.CommandLine;
using System.Net;
using System.Net.Sockets;

using Aviary.Census;

namespace Aviary.Cli;

/// <summary>
/// <c>aviary census HOST:PORT</c>: joins a network through one peer, finds every peer it is told of,
/// grades each with the prober's read-only checks and places its chain against the best one.
/// Progress goes to stderr; the table and summary (or JSON) to stdout; <c>--html</c> writes a report page.
/// </summary>
internal static class CensusCommand
{
    public static Command Create()
    {
        var entry = new Argument<string>("HOST:PORT") { Description = "the peer to join through" };
        var maxPeers = new Option<int>("--max-peers") { Description = "most peers recorded and graded (1 to 4096)", DefaultValueFactory = _ => 256 };
        var parallel = new Option<int>("--parallel") { Description = "peers graded at the same time (1 to 64)", DefaultValueFactory = _ => 16 };
        var maxBlocks = new Option<int>("--max-blocks") { Description = "most blocks of each peer's chain fetched and verified from genesis (1 to 100,000)", DefaultValueFactory = _ => 100 };
        var json = new Option<bool>("--json") { Description = "print the census as one JSON object" };
        var html = new Option<FileInfo?>("--html") { Description = "also write a self-contained HTML report to this file" };
        var timeout = new Option<double>("--timeout") { Description = "seconds to wait for each reply (0.1 to 30)", DefaultValueFactory = _ => 1 };
        var limit = new Option<double>("--limit") { Description = "seconds the whole census may take (5 to 3600)", DefaultValueFactory = _ => 120 };
        var listen = new Option<double>("--listen") { Description = "seconds to listen for peers at least (their keep-alive GOSSIP; 30 hears every course peer)", DefaultValueFactory = _ => 3 };
        var rate = new Option<double>("--rate") { Description = "most requests per second to one peer (1 to 100)", DefaultValueFactory = _ => 20 };
        var announce = new Option<bool>("--announce") { Description = "also ANNOUNCE a mined block to each peer (its chain grows when adopted)" };
        var advertise = new Option<string?>("--advertise") { Description = "host to name in our GOSSIP (default: the local address that reaches the entry peer)" };
        var command = new Command("census", "Find every peer of a network through one peer, grade each and show where its chain sits.")
        {
            entry, maxPeers, parallel, maxBlocks, json, html, timeout, limit, listen, rate, announce, advertise,
        };
        command.SetAction((parse, stop) => RunAsync(
            parse.GetValue(entry)!,
            new Settings(parse.GetValue(maxPeers), parse.GetValue(parallel), parse.GetValue(maxBlocks), parse.GetValue(timeout), parse.GetValue(limit), parse.GetValue(listen), parse.GetValue(rate), parse.GetValue(announce), parse.GetValue(advertise)),
            parse.GetValue(json),
            parse.GetValue(html),
            Console.Out,
            Console.Error,
            stop));
        return command;
    }

    public static async Task<int> RunAsync(string entryText, Settings s, bool json, FileInfo? html, TextWriter output, TextWriter error, CancellationToken stop)
    {
        if (s.MaxPeers is < 1 or > 4096 || s.Parallel is < 1 or > 64 || s.Timeout is < 0.1 or > 30 || s.Limit is < 5 or > 3600 || s.Listen is < 0 or > 600 || s.Rate is < 1 or > 100 || s.MaxBlocks is < 1 or > 100_000)
        {
            error.WriteLine("aviary census: --max-peers 1..4096, --parallel 1..64, --max-blocks 1..100,000, --timeout 0.1..30 s, --limit 5..3600 s, --listen 0..600 s, --rate 1..100");
            return ExitCodes.BadInput;
        }

        if (await PeerTarget.ResolveAsync("census", entryText, error, stop) is not { } resolved)
        {
            return ExitCodes.BadInput;
        }

        var target = resolved.Endpoint;
        var loopback = IPAddress.IsLoopback(target.Address);
        var v6 = target.Address.AddressFamily == AddressFamily.InterNetworkV6;
        var options = new CensusOptions
        {
            Entry = target,
            Bind = loopback ? (v6 ? IPAddress.IPv6Loopback : IPAddress.Loopback) : (v6 ? IPAddress.IPv6Any : IPAddress.Any),
            Advertise = s.Advertise ?? (loopback ? target.Address.ToString() : LocalAddressTowards(target)),
            MaxPeers = s.MaxPeers,
            Parallel = s.Parallel,
            MaxBlocks = s.MaxBlocks,
            ReplyTimeout = TimeSpan.FromSeconds(s.Timeout),
            TotalLimit = TimeSpan.FromSeconds(s.Limit),
            MinListen = TimeSpan.FromSeconds(s.Listen),
            MaxListen = TimeSpan.FromSeconds(Math.Max(s.Listen, Math.Min(40, s.Limit / 2))),
            RequestsPerSecond = s.Rate,
            Announce = s.Announce,
        };
        var report = await new CensusRun(options, line => error.WriteLine(line)).RunAsync(stop);
        output.Write(json ? CensusReportWriter.Json(report) + Environment.NewLine : CensusReportWriter.Text(report));
        if (html is not null)
        {
            try
            {
                await File.WriteAllTextAsync(html.FullName, CensusHtml.Page(report), stop);
                error.WriteLine($"census: report written to {html.FullName}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"aviary census: cannot write {html.FullName}: {e.Message}");
                return ExitCodes.BadInput;
            }
        }

        return report.Peers.Any(p => p.Answered) ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>The local address the OS would send from to reach <paramref name="target"/> (connecting a UDP socket sends nothing).</summary>
    private static string LocalAddressTowards(IPEndPoint target)
    {
        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(target);
        return ((IPEndPoint)socket.LocalEndPoint!).Address.ToString();
    }

    /// <summary>The command's bounds and switches.</summary>
    internal sealed record Settings(int MaxPeers, int Parallel, int MaxBlocks, double Timeout, double Limit, double Listen, double Rate, bool Announce, string? Advertise);
}
