namespace Aviary.Probe;

/// <summary>The optional introduction before the checks (<see cref="ProbeOptions.Introduce"/>).</summary>
public sealed partial class Prober
{
    /// <summary>
    /// Socket A gossips naming itself; a peer that guards its replies challenges a new address with a
    /// GOSSIP, which A's receive loop answers at once. Waits (one reply timeout at most) for that challenge.
    /// </summary>
    private async Task IntroduceAsync(CancellationToken cancel)
    {
        try
        {
            await a.SendAsync(GossipFrom(a, NewId()), cancel);
            await a.WaitAsync(d => d.Type == "GOSSIP" && d.From.Equals(options.Target), options.ReplyTimeout, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Out of time: the checks will say so.
        }
    }
}
