using System.CommandLine;

using Aviary.Protocol;

namespace Aviary.Cli;

/// <summary><c>aviary block HOST:PORT HEIGHT</c>: asks a peer for one block.</summary>
internal static class BlockCommand
{
    public static Command Create()
    {
        var address = ClientCommand.AddressArgument();
        var height = new Argument<long>("HEIGHT") { Description = "the block's height (0 is the genesis)" };
        var timeout = ClientCommand.TimeoutOption();
        var json = ClientCommand.JsonOption();
        var command = new Command("block", "Send GET_BLOCK to a peer and print the block it returns.") { address, height, timeout, json };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(address)!, parse.GetValue(height), parse.GetValue(timeout), parse.GetValue(json), Console.Out, Console.Error, ct));
        return command;
    }

    public static Task<int> RunAsync(string address, long height, double timeoutSeconds, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        ClientCommand.RequestAsync(
            "block",
            address,
            new GetBlock(height),
            reply => reply is GetBlockReply { Block: null } || (reply is GetBlockReply { Block: { } b } && b.Height == height),
            (reply, o) => Print((GetBlockReply)reply, height, o),
            timeoutSeconds,
            json,
            output,
            error,
            cancellationToken);

    private static void Print(GetBlockReply reply, long height, TextWriter output)
    {
        if (reply.Block is { } block)
        {
            Printable.Block(block, output);
        }
        else
        {
            output.WriteLine($"peer has no block at height {height}");
        }
    }
}
