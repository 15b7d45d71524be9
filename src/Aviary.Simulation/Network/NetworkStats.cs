namespace Aviary.Simulation.Network;

/// <summary>What the simulated network did with the datagrams it was given.</summary>
public sealed class NetworkStats
{
    /// <summary>Datagrams handed to the network.</summary>
    public long Sent { get; internal set; }

    /// <summary>Copies that reached a running participant.</summary>
    public long Delivered { get; internal set; }

    /// <summary>Datagrams dropped by a link's loss rate.</summary>
    public long Lost { get; internal set; }

    /// <summary>Extra copies made by a link's duplication rate.</summary>
    public long Duplicated { get; internal set; }

    /// <summary>Datagrams dropped because the link was cut (a partition).</summary>
    public long Cut { get; internal set; }

    /// <summary>Datagrams to an address nobody listens on (spoofed or made-up hosts).</summary>
    public long Unroutable { get; internal set; }

    /// <summary>Copies that arrived while their destination was crashed.</summary>
    public long ToDownNode { get; internal set; }

    /// <summary>Copies that arrived after a later-sent datagram on the same link had already arrived.</summary>
    public long Reordered { get; internal set; }

    public override string ToString() =>
        $"sent {Sent}, delivered {Delivered}, lost {Lost}, duplicated {Duplicated}, reordered {Reordered}, cut {Cut}, unroutable {Unroutable}, to crashed {ToDownNode}";
}
