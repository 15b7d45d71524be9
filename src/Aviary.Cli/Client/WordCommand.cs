using System.CommandLine;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Cli;

/// <summary><c>aviary word HOST:PORT WORD</c>: gives a peer a word to put in a block it mines (no reply).</summary>
internal static class WordCommand
{
    public static Command Create()
    {
        var address = ClientCommand.AddressArgument();
        var word = new Argument<string>("WORD") { Description = "the word (a block message holds at most 20 characters)" };
        var json = new Option<bool>("--json") { Description = "print the datagram sent, as JSON" };
        var command = new Command("word", "Send NEW_WORD to a peer. There is no reply.") { address, word, json };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(address)!, parse.GetValue(word)!, parse.GetValue(json), Console.Out, Console.Error, ct));
        return command;
    }

    public static Task<int> RunAsync(string address, string word, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var message = new NewWord(word);
        var size = MessageEncoder.Measure(message);
        if (size > WireLimits.MaxOutboundDatagram)
        {
            error.WriteLine($"aviary word: the word makes a {size}-byte datagram; at most {WireLimits.MaxOutboundDatagram} can be sent");
            return Task.FromResult(ExitCodes.BadInput);
        }

        var length = BlockValidator.CodePoints(word);
        if (length > BlockValidator.MaxMessageLength)
        {
            // Sent anyway: checking how a peer handles it is a fair test.
            error.WriteLine($"aviary word: note: {length} characters; a valid block holds messages of at most {BlockValidator.MaxMessageLength}");
        }

        return ClientCommand.SendAsync("word", address, message, json, output, error, cancellationToken);
    }
}
