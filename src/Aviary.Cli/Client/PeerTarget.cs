using System.Net.Sockets;

using Aviary.Client;
using Aviary.Node;

namespace Aviary.Cli;

/// <summary>
/// A command's HOST:PORT argument, parsed and looked up (IPv4 preferred), or one line on
/// <c>error</c> saying what is wrong with it. Every command that talks to one peer starts here.
/// </summary>
internal static class PeerTarget
{
    public static async Task<ResolvedPeer?> ResolveAsync(string command, string address, TextWriter error, CancellationToken cancellationToken)
    {
        if (!PeerAddress.TryParse(address, out var parsed, out var problem))
        {
            error.WriteLine($"aviary {command}: bad address: {problem}");
            return null;
        }

        try
        {
            return new ResolvedPeer(parsed, await parsed.ResolveAsync(cancellationToken));
        }
        catch (SocketException e)
        {
            error.WriteLine($"aviary {command}: cannot resolve host \"{parsed.Host}\": {e.Message}");
            return null;
        }
    }
}
