using System.Net;

namespace Aviary.Node.Hosting;

/// <summary>
/// A <see cref="FairQueue"/> shared by the host's receive thread (which adds) and its core thread
/// (which takes, and sleeps here when there is nothing to do). One lock; the core is woken only when
/// it is asleep, so a busy core costs the receive thread no system call.
/// </summary>
internal sealed class Inbox(ulong seed)
{
    private readonly Lock gate = new();
    private readonly FairQueue queue = new(seed);
    private readonly ManualResetEventSlim signal = new(false, spinCount: 0);
    private bool sleeping;

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

    /// <summary>Wakes the core if it sleeps in <see cref="Wait"/> (after work was posted to it).</summary>
    public void Wake()
    {
        lock (gate)
        {
            WakeLocked();
        }
    }

    /// <summary>
    /// Sleeps until a datagram arrives, <see cref="Wake"/> is called or <paramref name="timeout"/>
    /// passes; returns at once if a datagram waits or <paramref name="ready"/> (checked under the
    /// lock, so a wake cannot slip in between) says there is other work.
    /// </summary>
    public void Wait(TimeSpan timeout, Func<bool> ready)
    {
        lock (gate)
        {
            if (queue.Count > 0 || ready())
            {
                return;
            }

            sleeping = true;
        }

        signal.Wait(timeout);
        lock (gate)
        {
            sleeping = false;
            signal.Reset();
        }
    }

    /// <summary>Adds under the lock <see cref="BeginAdd"/> took, until disposed.</summary>
    public readonly ref struct Adding(Inbox inbox)
    {
        public void Add(SocketAddress source, ReadOnlySpan<byte> datagram) => inbox.queue.Add(source, datagram);

        public void Dispose()
        {
            inbox.WakeLocked();
            inbox.gate.Exit();
        }
    }

    private void WakeLocked()
    {
        if (sleeping)
        {
            sleeping = false;
            signal.Set();
        }
    }
}
