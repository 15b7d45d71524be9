using System.Net;

using Aviary.Node;

namespace Aviary.Cli;

/// <summary>An address as typed and the endpoint it resolved to.</summary>
internal sealed record ResolvedPeer(PeerAddress Typed, IPEndPoint Endpoint)
{
    /// <summary>The address as typed, with the resolved one when a name was looked up.</summary>
    public override string ToString() =>
        IPAddress.TryParse(Typed.Host, out _) ? Typed.ToString() : $"{Typed} ({Endpoint})";
}
