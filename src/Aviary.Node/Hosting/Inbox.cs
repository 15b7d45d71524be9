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
    private readonly SemaphoreSlim wake = new(0);
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
        lock (gate)
        {
            queue.Add(source, datagram);
            WakeLocked();
        }
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

        if (!wake.Wait(timeout))
        {
            lock (gate)
            {
                if (sleeping)
                {
                    sleeping = false;
                    return;
                }
            }

            // Woken just as the wait timed out: consume that release so the next wait sleeps.
            wake.Wait(0);
        }
    }

    private void WakeLocked()
    {
        if (sleeping)
        {
            sleeping = false;
            wake.Release();
        }
    }
}
