using Aviary.Mining.Remote;

namespace Aviary.Mining.Tests.Remote;

/// <summary>Reconnect delays of the remote worker.</summary>
public sealed class BackoffTests
{
    [Fact]
    public void Delays_double_from_one_second_to_thirty_and_start_over_after_a_reset()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        var seconds = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalSeconds).ToList();
        Assert.Equal([1.0, 2, 4, 8, 16, 30, 30, 30], seconds);

        backoff.Reset();
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Next());
    }
}
