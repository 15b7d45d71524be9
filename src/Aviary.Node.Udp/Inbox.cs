using System.Net;

namespace Aviary.Node.Udp;

/// <summary>
/// A <see cref="FairQueue"/> shared by the host's two threads, and which of them reads the socket
/// into it. While the core keeps up, the core thread reads the socket itself (no hand-off between
/// threads, so a request costs what it did with one thread). When it finds a backlog in the socket,
/// or stays stuck in one turn, the receive thread is <see cref="Activate"/>d and drains the socket
/// every millisecond while the core works, so a flood overflows this queue (fair across sources)
/// rather than the kernel's (which drops whatever comes next). The core <see cref="TakeBack"/>s the
/// socket once it has caught up. One lock.
/// </summary>
internal sealed class Inbox(ulong seed)
{
    private readonly Lock gate = new();
    private readonly FairQueue queue = new(seed);
    private readonly ManualResetEventSlim coreSignal = new(false, spinCount: 0);
    private readonly ManualResetEventSlim receiverSignal = new(false, spinCount: 0);
    private bool coreSleeping;
    private bool receiverActive;
    private bool receiverDraining;

    /// <summary>Datagrams dropped because the core fell behind (see <see cref="FairQueue.Dropped"/>).</summary>
    public long Dropped
    {
        get
        {
            lock (gate)
            {
                return queue.Dropped;
            }
        }
    }

    /// <summary>True while the receive thread reads the socket; the core must not.</summary>
    public bool ReceiverActive
    {
        get
        {
            lock (gate)
            {
                return receiverActive;
            }
        }
    }

    /// <summary>True when no datagram waits here.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (gate)
            {
                return queue.Count == 0;
            }
        }
    }

    public void Add(SocketAddress source, ReadOnlySpan<byte> datagram)
    {
        using var adding = BeginAdd();
        adding.Add(source, datagram);
    }

    /// <summary>Holds the lock to add a batch; disposing it wakes the core if it sleeps.</summary>
    public Adding BeginAdd()
    {
        gate.Enter();
        return new Adding(this);
    }

    public bool TryTake(Span<byte> destination, SocketAddress source, out int length)
    {
        lock (gate)
        {
            return queue.TryTake(destination, source, out length);
        }
    }

    /// <summary>Core: a backlog builds in the socket, so the receive thread takes over reading it.</summary>
    public void Activate()
    {
        lock (gate)
        {
            if (!receiverActive)
            {
                receiverActive = true;
                receiverSignal.Set();
            }
        }
    }

    /// <summary>
    /// Core, out of work: reads the socket itself from now on. True when it may wait on the socket;
    /// false when datagrams wait here or the receive thread is still moving some (then
    /// <see cref="Wait"/> for them).
    /// </summary>
    public bool TakeBack()
    {
        lock (gate)
        {
            receiverActive = false;
            return !receiverDraining && queue.Count == 0;
        }
    }

    /// <summary>
    /// Core: sleeps until datagrams arrive here, the receive thread ends a drain, <see cref="Wake"/>
    /// is called or <paramref name="timeout"/> passes; returns at once if any of that already
    /// happened or <paramref name="ready"/> (checked under the lock, so a wake cannot slip in
    /// between) says there is other work.
    /// </summary>
    public void Wait(TimeSpan timeout, Func<bool> ready)
    {
        lock (gate)
        {
            if (queue.Count > 0 || !receiverDraining || ready())
            {
                return;
            }

            coreSleeping = true;
        }

        coreSignal.Wait(timeout);
        lock (gate)
        {
            coreSleeping = false;
            coreSignal.Reset();
        }
    }

    /// <summary>Receive thread: sleeps until <see cref="Activate"/>d, <see cref="Release"/>d or <paramref name="timeout"/> passes; true when active.</summary>
    public bool AwaitActivation(TimeSpan timeout)
    {
        lock (gate)
        {
            if (receiverActive)
            {
                return true;
            }

            receiverSignal.Reset();
        }

        receiverSignal.Wait(timeout);
        lock (gate)
        {
            return receiverActive;
        }
    }

    /// <summary>Receive thread: about to read the socket; false when the core has taken it back.</summary>
    public bool BeginDrain()
    {
        lock (gate)
        {
            receiverDraining = receiverActive;
            return receiverDraining;
        }
    }

    /// <summary>Receive thread: done reading for now; wakes the core if it waits for that.</summary>
    public void EndDrain()
    {
        lock (gate)
        {
            receiverDraining = false;
            WakeCore();
        }
    }

    /// <summary>Receive thread: sleeps between drains, for <paramref name="interval"/> or until <see cref="Release"/>d.</summary>
    public void Pause(TimeSpan interval)
    {
        lock (gate)
        {
            receiverSignal.Reset();
        }

        receiverSignal.Wait(interval);
    }

    /// <summary>Wakes the core if it sleeps here (work was posted to it).</summary>
    public void Wake()
    {
        lock (gate)
        {
            WakeCore();
        }
    }

    /// <summary>Wakes both threads wherever they sleep here (the host is stopping).</summary>
    public void Release()
    {
        lock (gate)
        {
            WakeCore();
            receiverSignal.Set();
        }
    }

    private void WakeCore()
    {
        if (coreSleeping)
        {
            coreSleeping = false;
            coreSignal.Set();
        }
    }

    /// <summary>Adds under the lock <see cref="BeginAdd"/> took, until disposed.</summary>
    public readonly ref struct Adding(Inbox inbox)
    {
        public void Add(SocketAddress source, ReadOnlySpan<byte> datagram) => inbox.queue.Add(source, datagram);

        public void Dispose()
        {
            inbox.WakeCore();
            inbox.gate.Exit();
        }
    }
}
