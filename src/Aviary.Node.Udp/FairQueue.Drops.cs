namespace Aviary.Node.Udp;

public sealed partial class FairQueue
{
    /// <summary>
    /// Frees room by dropping the oldest datagrams of the longest queue's busiest source (its owner,
    /// unless shared: then the most frequent among its <see cref="Sample"/> oldest), up to half the
    /// queue and at most <see cref="MaxDropBatch"/>. The queue keeps at least half, so its turn stays
    /// queued; since every slot is taken and <see cref="Capacity"/> ≥ 2 × <see cref="Queues"/>, the
    /// longest holds at least two.
    /// </summary>
    private void DropFromLongest()
    {
        var longest = 0;
        for (var q = 1; q < Queues; q++)
        {
            if (counts[q] > counts[longest])
            {
                longest = q;
            }
        }

        var busiest = shared[longest] ? BusiestFlow(longest) : ownerOf[longest];
        var drop = Math.Min(counts[longest] / 2, MaxDropBatch);
        var dropped = 0;
        var previous = None;
        for (var slot = heads[longest]; slot != None && dropped < drop;)
        {
            var following = next[slot];
            if (slots.FlowOf(slot) == busiest)
            {
                Remove(longest, previous, slot);
                dropped++;
            }
            else
            {
                previous = slot;
            }

            slot = following;
        }

        Dropped += dropped;
    }

    private ulong BusiestFlow(int queue)
    {
        Span<ulong> seen = stackalloc ulong[Sample];
        Span<int> tally = stackalloc int[Sample];
        var distinct = 0;
        var best = 0;
        var slot = heads[queue];
        for (var i = 0; i < Sample && slot != None; i++, slot = next[slot])
        {
            var j = seen[..distinct].IndexOf(slots.FlowOf(slot));
            if (j < 0)
            {
                j = distinct++;
                seen[j] = slots.FlowOf(slot);
                tally[j] = 0;
            }

            if (++tally[j] > tally[best])
            {
                best = j;
            }
        }

        return seen[best];
    }

    /// <summary>
    /// Unlinks <paramref name="slot"/> (after <paramref name="previous"/>, or the head) from
    /// <paramref name="queue"/> and frees it; an emptied queue is free for another source.
    /// </summary>
    private void Remove(int queue, int previous, int slot)
    {
        if (previous == None)
        {
            heads[queue] = next[slot];
        }
        else
        {
            next[previous] = next[slot];
        }

        if (tails[queue] == slot)
        {
            tails[queue] = previous;
        }

        slots.Free(slot);
        Count--;
        if (--counts[queue] == 0)
        {
            owners.Remove(ownerOf[queue]);
            freeQueues[freeQueueCount++] = queue;
        }
    }
}
