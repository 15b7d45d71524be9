using Aviary.Testing.Transports;

namespace Aviary.Simulation.Tests;

/// <summary>The transport contract on the simulator's in-memory network, the one the UDP host passes too.</summary>
public sealed class SimTransportContractTests : TransportContract
{
    protected override ITransportBed CreateBed() => new SimTransportBed();
}
