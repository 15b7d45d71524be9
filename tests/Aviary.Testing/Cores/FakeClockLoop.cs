using Aviary.Node.Core;

using Microsoft.Extensions.Time.Testing;

namespace Aviary.Testing;

/// <summary>
/// The one driver of cores on a fake clock: runs every due timer, then moves the clock to whichever
/// comes first, the next timer or the next datagram on the wire, and repeats until the span ends. A
/// host does the same with the wall clock.
/// </summary>
public static class FakeClockLoop
{
    /// <summary>
    /// Runs <paramref name="cores"/> for <paramref name="duration"/> of <paramref name="clock"/>'s time;
    /// <paramref name="nextDelivery"/> says when the wire next delivers (null: nothing in flight) and
    /// <paramref name="deliverDue"/> hands over what is due by now.
    /// </summary>
    public static void Run(FakeTimeProvider clock, TimeSpan duration, IEnumerable<NodeCore> cores, Func<DateTimeOffset?>? nextDelivery = null, Action? deliverDue = null)
    {
        var end = clock.GetUtcNow() + duration;
        while (true)
        {
            foreach (var core in cores)
            {
                core.RunDue();
            }

            var nextWire = nextDelivery?.Invoke() ?? DateTimeOffset.MaxValue;
            var nextTimer = cores.Select(c => c.Events.NextDue ?? DateTimeOffset.MaxValue).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            var next = nextWire < nextTimer ? nextWire : nextTimer;
            if (next > end)
            {
                break;
            }

            if (next > clock.GetUtcNow())
            {
                clock.Advance(next - clock.GetUtcNow());
            }

            deliverDue?.Invoke();
        }

        if (end > clock.GetUtcNow())
        {
            clock.Advance(end - clock.GetUtcNow());
        }
    }
}
