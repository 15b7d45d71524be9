namespace Aviary.Node.Limits;

/// <summary>A sustained rate and the burst allowed on top of it (tokens per second, bucket size).</summary>
public readonly record struct Budget(double PerSecond, double Burst)
{
    /// <summary>No limit at all.</summary>
    public static readonly Budget Unlimited = new(double.PositiveInfinity, double.PositiveInfinity);

    public bool IsUnlimited => double.IsPositiveInfinity(PerSecond) && double.IsPositiveInfinity(Burst);
}

/// <summary>
/// A token bucket: starts full, refills at <see cref="Budget.PerSecond"/> up to <see cref="Budget.Burst"/>,
/// and each admitted unit takes tokens. Refilled lazily from the clock reading passed in: no timer.
/// </summary>
public struct TokenBucket
{
    private double tokens;
    private long stamp;
    private bool started;

    /// <summary>Takes <paramref name="cost"/> tokens if there are that many; false (and nothing taken) otherwise.</summary>
    public bool TryTake(long nowTicks, Budget budget, double cost = 1)
    {
        if (!Has(nowTicks, budget, cost))
        {
            return false;
        }

        Take(budget, cost);
        return true;
    }

    /// <summary>
    /// Refills from the clock and tells whether <paramref name="cost"/> tokens are there, taking none:
    /// a send charged to several buckets checks them all before it takes from any.
    /// </summary>
    public bool Has(long nowTicks, Budget budget, double cost = 1)
    {
        if (budget.IsUnlimited)
        {
            return true;
        }

        if (!started)
        {
            started = true;
            tokens = budget.Burst;
            stamp = nowTicks;
        }
        else if (nowTicks > stamp)
        {
            tokens = Math.Min(budget.Burst, tokens + ((nowTicks - stamp) * budget.PerSecond / TimeSpan.TicksPerSecond));
            stamp = nowTicks;
        }

        return tokens >= cost;
    }

    /// <summary>Takes <paramref name="cost"/> tokens after <see cref="Has"/> said they are there.</summary>
    public void Take(Budget budget, double cost = 1)
    {
        if (!budget.IsUnlimited)
        {
            tokens -= cost;
        }
    }
}
