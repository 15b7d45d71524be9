namespace Aviary.Crash.Tests;

/// <summary>
/// When to kill a run. Mostly a few milliseconds after its Nth committed line (N of 1–3), so kills
/// land before, inside and after the next batch's store transaction; one run in five at a random
/// moment from process start instead, at the latest on its first committed line (start-up, store
/// load, joining, fork search, first batch).
/// </summary>
internal sealed record KillPlan(bool Early, int CommitLines, TimeSpan Delay)
{
    public static KillPlan Draw(Random random) =>
        random.NextDouble() < 0.2
            ? new KillPlan(true, 0, TimeSpan.FromMilliseconds(random.Next(0, 2000)))
            : new KillPlan(false, random.Next(1, 4), TimeSpan.FromMilliseconds(random.Next(0, 40)));

    public override string ToString() =>
        Early ? $"killed {Delay.TotalMilliseconds:0} ms after start or on its first commit line" : $"killed {Delay.TotalMilliseconds:0} ms after its commit line {CommitLines}";
}
