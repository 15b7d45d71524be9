using Aviary.Protocol;

using Microsoft.Data.Sqlite;

namespace Aviary.Chain.Sqlite.Tests;

/// <summary>A reorg that fails halfway (a constraint breaks on a later block) leaves the old chain intact.</summary>
public sealed class ReorgAtomicityTests
{
    public static TheoryData<string> Breakers => ["malformed hash", "uppercase hash", "negative timestamp"];

    [Theory]
    [MemberData(nameof(Breakers))]
    public void Failed_replace_keeps_the_old_chain(string breaker)
    {
        var main = TestChains.Mine(10, difficulty: 1);
        var branch = TestChains.Mine(8, difficulty: 1, parent: main[4], minedBy: "rival");

        // The fourth branch block breaks a CHECK constraint, after the delete and three inserts ran.
        branch[3] = breaker switch
        {
            "malformed hash" => branch[3] with { Hash = "not a hash" },
            "uppercase hash" => branch[3] with { Hash = branch[3].Hash.ToUpperInvariant() },
            _ => branch[3] with { Timestamp = -1 },
        };

        using var temp = new TempStore();
        using (var store = temp.Open())
        {
            store.Load(1);
            store.Append(main);
            Assert.Throws<SqliteException>(() => store.ReplaceFrom(5, branch));
            Assert.Equal(10, store.Count);

            // Still usable: the next block of the old chain appends on top of it.
            var next = TestChains.Mine(1, difficulty: 1, parent: main[^1]);
            store.Append(next);
            main.AddRange(next);
        }

        using var reopened = temp.Open();
        Assert.Equal(main, reopened.Load(1));
        Assert.True(reopened.LastLoad!.IsClean, reopened.LoadReport);
    }

    [Fact]
    public void Failed_append_batch_stores_none_of_it()
    {
        var chain = TestChains.Mine(12, difficulty: 1);
        List<Block> batch = [.. chain[4..]];
        batch[5] = batch[5] with { Timestamp = -5 };
        using var temp = new TempStore();
        using (var store = temp.Open())
        {
            store.Load(1);
            store.Append(chain[..4]);
            Assert.Throws<SqliteException>(() => store.Append(batch));
            Assert.Equal(4, store.Count);
        }

        using var reopened = temp.Open();
        Assert.Equal(chain[..4], reopened.Load(1));
        Assert.Equal(4, temp.Scalar("SELECT count(*) FROM blocks"));
    }
}
