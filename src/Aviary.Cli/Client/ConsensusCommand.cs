using System.CommandLine;

using Aviary.Protocol;

namespace Aviary.Cli;

/// <summary><c>aviary consensus HOST:PORT</c>: asks a peer to run a consensus now (no reply).</summary>
internal static class ConsensusCommand
{
    public static Command Create()
    {
        var address = ClientCommand.AddressArgument();
        var json = new Option<bool>("--json") { Description = "print the datagram sent, as JSON" };
        var command = new Command("consensus", "Send CONSENSUS to a peer. There is no reply.") { address, json };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(address)!, parse.GetValue(json), Console.Out, Console.Error, ct));
        return command;
    }

    public static Task<int> RunAsync(string address, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        ClientCommand.SendAsync("consensus", address, Consensus.Instance, json, output, error, cancellationToken);
}
