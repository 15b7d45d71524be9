using Aviary.Testing.Transports;

namespace Aviary.Node.Tests.Integration;

/// <summary>The transport contract on real sockets: UDP hosts and plain clients on 127.0.0.1.</summary>
public sealed class UdpHostContractTests : TransportContract
{
    protected override ITransportBed CreateBed() => new UdpTransportBed();
}
