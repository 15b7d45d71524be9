using System.CommandLine;

using Aviary.Probe;

namespace Aviary.Cli;

/// <summary>
/// <c>aviary probe HOST:PORT</c>: checks a peer against the protocol and prints a graded report.
/// Sends only to that address; for a peer on loopback its sockets bind to 127.0.0.1 (or ::1, or a
/// loopback <c>--advertise</c>) and its GOSSIP names that same address.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("HOST:PORT") { Description = "the peer to check" };
        var json = new Option<bool>("--json") { Description = "print the report as one JSON object" };
        var timeout = new Option<double>("--timeout") { Description = "seconds to wait for each reply", DefaultValueFactory = _ => 2 };
        var difficulty = new Option<int?>("--difficulty") { Description = "the network's difficulty (default: inferred from the hashes served)" };
        var maxBlocks = new Option<int>("--max-blocks") { Description = "most blocks fetched and verified from genesis", DefaultValueFactory = _ => 2000 };
        var noAnnounce = new Option<bool>("--no-announce") { Description = "do not ANNOUNCE a block (it extends the peer's chain when adopted)" };
        var advertise = new Option<string?>("--advertise") { Description = "host to name in the probe's GOSSIP (default: the local address that reaches the peer)" };
        var command = new Command("probe", "Check a peer against the protocol and print a graded report.") { target, json, timeout, difficulty, maxBlocks, noAnnounce, advertise };
        command.SetAction((parse, stop) => RunAsync(
            parse.GetValue(target)!,
            parse.GetValue(json),
            parse.GetValue(timeout),
            parse.GetValue(difficulty),
            parse.GetValue(maxBlocks),
            !parse.GetValue(noAnnounce),
            parse.GetValue(advertise),
            Console.Out,
            Console.Error,
            stop));
        return command;
    }

    public static async Task<int> RunAsync(string targetText, bool json, double timeout, int? difficulty, int maxBlocks, bool announce, string? advertise, TextWriter output, TextWriter error, CancellationToken stop)
    {
        if (timeout is <= 0 or > 30 || difficulty is < 0 or > 64 || maxBlocks is < 1 or > 1_000_000)
        {
            error.WriteLine("aviary probe: --timeout 0..30 s, --difficulty 0..64, --max-blocks 1..1,000,000");
            return ExitCodes.BadInput;
        }

        if (await PeerTarget.ResolveAsync("probe", targetText, error, stop) is not { } resolved)
        {
            return ExitCodes.BadInput;
        }

        var target = resolved.Endpoint;
        var (bind, advertised) = ProbeAddressing.Choose(target, advertise);
        var options = new ProbeOptions
        {
            Target = target,
            Bind = bind,
            Advertise = advertised,
            ReplyTimeout = TimeSpan.FromSeconds(timeout),
            Difficulty = difficulty,
            MaxBlocks = maxBlocks,
            Announce = announce,
        };
        if (!json)
        {
            output.WriteLine($"probing {target} from {options.Advertise} (replies awaited {timeout:0.#} s, at most {options.OverallLimit.TotalSeconds:0} s in all)…");
        }

        var report = await new Prober(options).RunAsync(stop);
        if (report.NoAnswer is { } nothing && !json)
        {
            error.WriteLine($"aviary probe: {nothing}");
            return ExitCodes.Failed;
        }

        output.Write(json ? ProbeReportWriter.Json(report) + Environment.NewLine : ProbeReportWriter.Text(report));
        return report.Failed == 0 && report.Passed > 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
