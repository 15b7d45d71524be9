using System.CommandLine;
using System.Globalization;
using System.Text;

using Aviary.Client;
using Aviary.Protocol;

namespace Aviary.Cli;

/// <summary>
/// What the peer-testing commands (stats, block, consensus, word) share: their arguments and
/// options, address handling, and turning an exchange into output and an exit code.
/// </summary>
internal static class ClientCommand
{
    /// <summary>Longest wait accepted for <c>--timeout</c>, in seconds.</summary>
    public const double MaxTimeoutSeconds = 3600;

    public static Argument<string> AddressArgument() => new("HOST:PORT") { Description = "the peer: host:port, 1.2.3.4:port or [::1]:port" };

    public static Option<double> TimeoutOption() => new("--timeout") { Description = "seconds to wait for the reply", DefaultValueFactory = _ => 3 };

    public static Option<bool> JsonOption() => new("--json") { Description = "print the reply's JSON exactly as received" };

    /// <summary>Sends <paramref name="request"/>, waits for the reply <paramref name="isReply"/> accepts and prints it.</summary>
    public static async Task<int> RequestAsync(
        string command,
        string address,
        Message request,
        Func<Message, bool> isReply,
        Action<Message, TextWriter> print,
        double timeoutSeconds,
        bool json,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        if (!(timeoutSeconds > 0 && timeoutSeconds <= MaxTimeoutSeconds))
        {
            error.WriteLine($"aviary {command}: --timeout must be more than 0 and at most {MaxTimeoutSeconds} seconds, got {timeoutSeconds.ToString(CultureInfo.InvariantCulture)}");
            return ExitCodes.BadInput;
        }

        if (await PeerTarget.ResolveAsync(command, address, error, cancellationToken) is not { } peer)
        {
            return ExitCodes.BadInput;
        }

        var exchange = await PeerClient.RequestAsync(peer.Endpoint, request, isReply, TimeSpan.FromSeconds(timeoutSeconds), cancellationToken);
        if (exchange.Malformed is { } rejection)
        {
            error.WriteLine($"aviary {command}: malformed reply from {exchange.From}: {rejection}");
            error.WriteLine($"  received: {Clip(exchange.Raw)}");
            return ExitCodes.Failed;
        }

        if (exchange.Reply is not { } reply)
        {
            error.WriteLine($"aviary {command}: no {Expected(request)} from {peer} within {timeoutSeconds.ToString(CultureInfo.InvariantCulture)} s{Aside(exchange)}");
            return ExitCodes.Failed;
        }

        if (json)
        {
            output.WriteLine(Encoding.UTF8.GetString(exchange.Raw));
        }
        else
        {
            print(reply, output);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Sends a message that has no reply and says so.</summary>
    public static async Task<int> SendAsync(string command, string address, Message message, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await PeerTarget.ResolveAsync(command, address, error, cancellationToken) is not { } peer)
        {
            return ExitCodes.BadInput;
        }

        await PeerClient.SendAsync(peer.Endpoint, message, cancellationToken);
        output.WriteLine(json
            ? Encoding.UTF8.GetString(MessageEncoder.Encode(message))
            : $"sent {message.Type} to {peer}; it has no reply");
        return ExitCodes.Ok;
    }

    private static string Expected(Message request) => request switch
    {
        Stats => MessageTypes.StatsReply,
        GetBlock { Height: { } h } => $"{MessageTypes.GetBlockReply} for height {h}",
        _ => "reply",
    };

    private static string Aside(PeerExchange exchange)
    {
        var notes = new List<string>();
        if (exchange.Ignored > 0)
        {
            notes.Add($"ignored {exchange.Ignored} other datagram{(exchange.Ignored == 1 ? string.Empty : "s")}");
        }

        if (exchange.Refused > 0)
        {
            notes.Add("the host reported the port closed (nothing listening?)");
        }

        return notes.Count == 0 ? string.Empty : $" ({string.Join("; ", notes)})";
    }

    private static string Clip(byte[] raw)
    {
        var text = Printable.Escape(Encoding.UTF8.GetString(raw));
        return text.Length <= 200 ? text : text[..200] + $"… ({raw.Length} bytes)";
    }
}
