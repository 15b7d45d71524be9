using System.CommandLine;

using Aviary.Protocol;

namespace Aviary.Cli;

/// <summary><c>aviary stats HOST:PORT</c>: asks a peer for its chain height and top hash.</summary>
internal static class StatsCommand
{
    public static Command Create()
    {
        var address = ClientCommand.AddressArgument();
        var timeout = ClientCommand.TimeoutOption();
        var json = ClientCommand.JsonOption();
        var command = new Command("stats", "Send STATS to a peer and print its height and top hash.") { address, timeout, json };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(address)!, parse.GetValue(timeout), parse.GetValue(json), Console.Out, Console.Error, ct));
        return command;
    }

    public static Task<int> RunAsync(string address, double timeoutSeconds, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        ClientCommand.RequestAsync(
            "stats",
            address,
            Stats.Instance,
            reply => reply is StatsReply,
            (reply, o) => Printable.StatsReply((StatsReply)reply, o),
            timeoutSeconds,
            json,
            output,
            error,
            cancellationToken);
}
