using System.Runtime.CompilerServices;

namespace Aviary.Node.Limits;

/// <summary>What to do with a GET_BLOCK that <see cref="ReplyPacer"/> has seen.</summary>
public enum PaceDecision
{
    /// <summary>Answer it now.</summary>
    Now,

    /// <summary>Held back: <see cref="ReplyPacer.Drain"/> answers it at the peer's pace.</summary>
    Queued,

    /// <summary>The peer's queue is full: not answered (it asks again).</summary>
    Full,
}

/// <summary>
/// Serves slow peers at their pace. A peer that asks again for heights we answered moments ago lost
/// our replies, most often because we answered its burst of requests faster than it reads its socket
/// (course peers read from Python with a small receive buffer and re-ask in 10-second rounds). When a
/// round brings many such re-asks, its replies are paced: sent from a queue at a rate that halves on
/// every further round of re-asks and grows back while it keeps up, until pacing is released. Peers
/// that lose a few datagrams at random, or never re-ask, are never paced. Bounded: a fixed number of
/// peers watched (least recently asking out first), heights remembered and queued per peer.
/// </summary>
public sealed class ReplyPacer(PaceLimits limits)
{
    /// <summary>Peers whose answered heights are watched.</summary>
    public const int MaxPeers = 256;

    private readonly LruTable<PeerAddress, Slot> peers = new(MaxPeers);
    private readonly List<PeerAddress> waiting = [];

    public PaceLimits Limits { get; } = limits;

    /// <summary>Peers watched now.</summary>
    public int Count => peers.Count;

    /// <summary>True when some replies wait for <see cref="Drain"/>.</summary>
    public bool HasWaiting => waiting.Count > 0;

    /// <summary>The current pace for <paramref name="peer"/> in replies per second, or null when its replies go at once.</summary>
    public double? RateOf(PeerAddress peer)
    {
        ref var slot = ref peers.Find(peer);
        return !Unsafe.IsNullRef(ref slot) && slot.State is { Paced: true } s ? s.Rate : null;
    }

    /// <summary>A GET_BLOCK from <paramref name="from"/> for a height we hold.</summary>
    public PaceDecision OnRequest(PeerAddress from, long height, DateTimeOffset now)
    {
        if (!Limits.Enabled)
        {
            return PaceDecision.Now;
        }

        ref var slot = ref peers.GetOrAdd(from, out _);
        slot.State ??= new PaceState { RoundStart = now };

        var s = slot.State;
        if (now - s.RoundStart >= Limits.Round)
        {
            EndRound(s, now);
        }

        s.Requests++;
        if (s.Answered.Contains(height) && now - s.LastAnswer <= Limits.Memory)
        {
            s.Reasks++;
            if (!s.Paced && Dropping(s))
            {
                // Engage at once, so the rest of this burst of re-asks is already paced.
                s.Paced = true;
                s.Rate = Limits.StartRate;
                s.Tokens = default;
                s.SlowedThisRound = true;
            }
        }

        if (!s.Paced)
        {
            s.Remember(height, now, Limits.Memory);
            return PaceDecision.Now;
        }

        if (s.Waiting.Count == 0 && s.Tokens.TryTake(now.UtcTicks, Budget(s)))
        {
            s.Remember(height, now, Limits.Memory);
            return PaceDecision.Now;
        }

        var wasEmpty = s.Waiting.Count == 0;
        if (!s.Enqueue(height))
        {
            return PaceDecision.Full;
        }

        if (wasEmpty)
        {
            waiting.Add(from);
        }

        return PaceDecision.Queued;
    }

    /// <summary>Hands every waiting height whose turn has come to <paramref name="answer"/>; the next time one falls due, or null when none waits.</summary>
    public DateTimeOffset? Drain(DateTimeOffset now, Action<PeerAddress, long> answer)
    {
        DateTimeOffset? next = null;
        for (var i = waiting.Count - 1; i >= 0; i--)
        {
            var peer = waiting[i];
            ref var slot = ref peers.Find(peer);
            if (Unsafe.IsNullRef(ref slot) || slot.State is not { } s || s.Waiting.Count == 0)
            {
                // Forgotten (pushed out of the table) or emptied: nothing left to send.
                waiting.RemoveAt(i);
                continue;
            }

            var budget = Budget(s);
            while (s.Waiting.Count > 0 && s.Tokens.TryTake(now.UtcTicks, budget))
            {
                var h = s.Dequeue();
                s.Remember(h, now, Limits.Memory);
                answer(peer, h);
            }

            if (s.Waiting.Count == 0)
            {
                waiting.RemoveAt(i);
                continue;
            }

            var due = now + TimeSpan.FromSeconds(1 / s.Rate);
            next = next is { } n && n < due ? n : due;
        }

        return next;
    }

    /// <summary>Many re-asks, and at least half of what it asked this round: our replies are being lost in bulk.</summary>
    private bool Dropping(PaceState s) => s.Reasks >= Limits.MinReasks && s.Reasks * 2 >= s.Requests;

    private void EndRound(PaceState s, DateTimeOffset now)
    {
        if (Dropping(s))
        {
            if (s.Paced && !s.SlowedThisRound)
            {
                s.Rate = Math.Max(Limits.MinRate, s.Rate / 2);
            }
        }
        else if (s.Paced)
        {
            s.Rate += Limits.Increase;
            if (s.Rate >= Limits.ReleaseRate && s.Waiting.Count == 0)
            {
                s.Paced = false;
            }
        }

        s.RoundStart = now;
        s.SlowedThisRound = false;
        s.Requests = 0;
        s.Reasks = 0;
    }

    private Budget Budget(PaceState s) => new(s.Rate, Limits.Burst);

    private struct Slot
    {
        public PaceState? State;
    }
}
