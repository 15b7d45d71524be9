using System.Net;
using System.Text.Json;

namespace Aviary.Web.Tests;

/// <summary>The JSON API against a real node: what /api/* returns is what the node holds.</summary>
public sealed class ApiTests
{
    private static async Task<JsonElement> GetJson(LiveNode node, string path)
    {
        using var response = await node.Http.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
    }

    [Fact]
    public async Task Status_describes_the_node_its_chain_peers_and_counters()
    {
        await using var node = await LiveNode.StartAsync(blocks: 12, name: "status-node");
        await node.AddPeerAsync("<b>Bad Actor</b>");
        await node.SendRawAsync("not json");
        await node.WaitForAsync(c => c.Counters.TotalRejections == 1);

        var s = await GetJson(node, "/api/status");
        Assert.Equal("status-node", s.GetProperty("node").GetProperty("name").GetString());
        Assert.Equal(LiveNode.Difficulty, s.GetProperty("node").GetProperty("difficulty").GetInt32());
        Assert.Equal($"127.0.0.1:{node.Udp.Port}", s.GetProperty("node").GetProperty("address").GetString());
        var chain = s.GetProperty("chain");
        Assert.Equal(12, chain.GetProperty("height").GetInt64());
        var top = await node.Access.ReadAsync(c => c.Chain.TopHash, TestContext.Current.CancellationToken);
        Assert.Equal(top, chain.GetProperty("topHash").GetString());
        Assert.Equal(11, chain.GetProperty("top").GetProperty("height").GetInt64());

        var peer = Assert.Single(s.GetProperty("peers").EnumerateArray());
        Assert.Equal("<b>Bad Actor</b>", peer.GetProperty("name").GetString());
        Assert.True(peer.GetProperty("lastHeardSecondsAgo").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, peer.GetProperty("height").ValueKind);

        Assert.Equal(1, s.GetProperty("rejections").GetProperty("NotJson").GetInt64());
        Assert.Equal(0, s.GetProperty("rejections").GetProperty("TooDeep").GetInt64());
        Assert.Equal(1, s.GetProperty("counters").GetProperty("rejected").GetInt64());
        Assert.True(s.GetProperty("counters").GetProperty("received").GetProperty("GOSSIP").GetInt64() >= 1);
        Assert.Equal(JsonValueKind.Null, s.GetProperty("miner").ValueKind);
        Assert.Equal(JsonValueKind.Null, s.GetProperty("sync").ValueKind);
        var leader = Assert.Single(s.GetProperty("miners").EnumerateArray());
        Assert.Equal("test-miner", leader.GetProperty("name").GetString());
        Assert.Equal(12, leader.GetProperty("blocks").GetInt64());
    }

    [Fact]
    public async Task Blocks_pages_newest_first_and_one_block_has_its_predecessor()
    {
        await using var node = await LiveNode.StartAsync(blocks: 45);
        var chain = await node.Access.ReadAsync(c => c.Chain.Range(0, 45), TestContext.Current.CancellationToken);

        var first = await GetJson(node, "/api/blocks");
        Assert.Equal(45, first.GetProperty("height").GetInt64());
        Assert.Equal(Enumerable.Range(25, 20).Reverse().Select(h => (long)h), first.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("height").GetInt64()));

        var older = await GetJson(node, "/api/blocks?from=10&count=5");
        Assert.Equal(10, older.GetProperty("from").GetInt64());
        Assert.Equal([10L, 9, 8, 7, 6], older.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("height").GetInt64()));

        var tail = await GetJson(node, "/api/blocks?from=2&count=50");
        Assert.Equal(3, tail.GetProperty("count").GetInt32());

        var capped = await GetJson(node, "/api/blocks?from=44&count=5000");
        Assert.Equal(45, capped.GetProperty("count").GetInt32());

        var one = await GetJson(node, "/api/blocks/7");
        Assert.Equal(chain[7].Hash, one.GetProperty("hash").GetString());
        Assert.Equal(chain[6].Hash, one.GetProperty("previousHash").GetString());
        Assert.Equal(chain[7].Nonce, one.GetProperty("nonce").GetString());
        Assert.Equal(chain[7].Messages, one.GetProperty("messages").EnumerateArray().Select(m => m.GetString()!));
        Assert.Equal(chain[7].Timestamp, one.GetProperty("timestamp").GetInt64());
        Assert.True(one.GetProperty("zeros").GetInt32() >= LiveNode.Difficulty);

        var genesis = await GetJson(node, "/api/blocks/0");
        Assert.Equal(JsonValueKind.Null, genesis.GetProperty("previousHash").ValueKind);
    }

    [Theory]
    [InlineData("/api/blocks/45")]
    [InlineData("/api/blocks/-1")]
    public async Task A_block_the_node_lacks_is_a_404_with_a_reason(string path)
    {
        await using var node = await LiveNode.StartAsync(blocks: 45);
        using var response = await node.Http.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.StartsWith("no block at height", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Peers_lists_tracked_peers_with_names_as_sent()
    {
        await using var node = await LiveNode.StartAsync(blocks: 1);
        await node.AddPeerAsync("<img src=x onerror=alert(1)>");
        var peers = await GetJson(node, "/api/peers");
        var peer = Assert.Single(peers.EnumerateArray());
        Assert.Equal("<img src=x onerror=alert(1)>", peer.GetProperty("name").GetString());
        Assert.StartsWith("127.0.0.1:", peer.GetProperty("address").GetString());
    }

    [Fact]
    public async Task Status_works_for_a_node_with_no_chain()
    {
        await using var node = await LiveNode.StartAsync(chain: []);
        var s = await GetJson(node, "/api/status");
        Assert.Equal(0, s.GetProperty("chain").GetProperty("height").GetInt64());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("chain").GetProperty("top").ValueKind);
        Assert.Equal(0, (await GetJson(node, "/api/blocks")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_taken_port_is_reported_to_the_caller()
    {
        await using var node = await LiveNode.StartAsync(blocks: 1);
        var taken = new DashboardOptions { Port = node.Web.Address.Port };
        await Assert.ThrowsAsync<IOException>(() => DashboardServer.StartAsync(taken, node.Access, cancel: TestContext.Current.CancellationToken));

        // The first dashboard is unaffected.
        using var response = await node.Http.GetAsync("/api/peers", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
