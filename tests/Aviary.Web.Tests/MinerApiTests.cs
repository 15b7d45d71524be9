using System.Text.Json;

namespace Aviary.Web.Tests;

/// <summary>
/// The miner as /api/status and /api/history report it, on a node mining as <c>aviary run --mine</c>
/// does (the composition itself, not a stand-in): its rate, its block and the words waiting.
/// </summary>
public sealed class MinerApiTests
{
    [Fact]
    public async Task Status_shows_the_running_miner_its_block_and_the_words_waiting()
    {
        // Difficulty 8 on the course's real genesis: one thread does not find block 1 in the test's time,
        // so the template and the queue stay put once the words are in.
        await using var node = await HostedNode.StartAsync("api-miner", 8, mine: true, chain: [HostedNode.CourseGenesis]);
        var words = Enumerable.Range(1, 12).Select(i => $"word {i:00}").ToList();
        await node.SendWordsAsync(words);

        var m = await MinerUntilAsync(node.Http, m => m.GetProperty("currentMessages").GetArrayLength() == 10 && m.GetProperty("hashesPerSecond").GetDouble() > 0);
        Assert.True(m.GetProperty("mining").GetBoolean());
        Assert.Equal(1, m.GetProperty("threads").GetInt32());
        Assert.False(string.IsNullOrEmpty(m.GetProperty("tier").GetString()));
        Assert.Equal(1, m.GetProperty("miningHeight").GetInt64());
        Assert.Equal(words[..10], Strings(m.GetProperty("currentMessages")));
        Assert.Equal(words[10..], Strings(m.GetProperty("queuedWords")));
        Assert.Equal(2, m.GetProperty("queuedCount").GetInt32());
        Assert.Equal(0, m.GetProperty("blocksMined").GetInt64());
        Assert.Empty(m.GetProperty("workers").EnumerateArray());

        // A word sent twice is refused, and the refusal is counted.
        await node.SendWordsAsync(["word 11"]);
        m = await MinerUntilAsync(node.Http, m => m.GetProperty("wordRejections").TryGetProperty("Duplicate", out _));
        Assert.Equal(1, m.GetProperty("wordRejections").GetProperty("Duplicate").GetInt64());
    }

    [Fact]
    public async Task A_node_that_does_not_mine_says_so()
    {
        await using var node = await HostedNode.StartAsync("api-idle", 8, mine: false, chain: [HostedNode.CourseGenesis]);
        var s = await GetJsonAsync(node.Http, "/api/status");
        Assert.Equal(JsonValueKind.Null, s.GetProperty("miner").ValueKind);
    }

    [Fact]
    public async Task History_grows_one_sample_a_second_and_carries_the_miner_rate()
    {
        await using var node = await HostedNode.StartAsync("api-history", 8, mine: true, chain: [HostedNode.CourseGenesis]);
        var history = await GetJsonAsync(node.Http, "/api/history");
        Assert.Equal(600, history.GetProperty("maxPoints").GetInt32());
        Assert.Empty(history.GetProperty("intervals").EnumerateArray());

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            history = await GetJsonAsync(node.Http, "/api/history");
            var points = history.GetProperty("points").EnumerateArray().ToList();
            if (points.Count >= 3 && points[^1].GetProperty("hashesPerSecond").GetDouble() > 0)
            {
                // Each sample carries the chain's height: 1 (the genesis) unless the one thread found a
                // block at difficulty 8 meanwhile (about a 2% chance in these seconds), never less.
                var heights = points.Select(p => p.GetProperty("height").GetInt64()).ToList();
                Assert.All(heights, h => Assert.True(h >= 1, $"height {h}"));
                Assert.True(heights.Zip(heights.Skip(1)).All(p => p.First <= p.Second), string.Join(", ", heights));
                Assert.True(points.Zip(points.Skip(1)).All(p => p.First.GetProperty("at").GetDouble() < p.Second.GetProperty("at").GetDouble()));
                break;
            }

            await Task.Delay(250, deadline.Token);
        }
    }

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(x => x.GetString()!)];

    private static async Task<JsonElement> MinerUntilAsync(HttpClient http, Func<JsonElement, bool> done)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var m = (await GetJsonAsync(http, "/api/status")).GetProperty("miner");
            if (m.ValueKind == JsonValueKind.Object && done(m))
            {
                return m;
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path) =>
        JsonDocument.Parse(await http.GetStringAsync(path, TestContext.Current.CancellationToken)).RootElement;
}
