using System.Net;

using Aviary.Node;

namespace Aviary.Client;

/// <summary>An address as typed and the endpoint it resolved to.</summary>
public sealed record ResolvedPeer(PeerAddress Typed, IPEndPoint Endpoint)
{
    /// <summary>The address as typed, with the resolved one when a name was looked up.</summary>
    public override string ToString() =>
        IPAddress.TryParse(Typed.Host, out _) ? Typed.ToString() : $"{Typed} ({Endpoint})";
}
