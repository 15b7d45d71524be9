using System.Text.Json;

namespace Aviary.Web.Tests;

/// <summary>GET /api/events: server-sent events, a status at once and a block event when the chain changes.</summary>
public sealed class LiveEventsTests
{
    [Fact]
    public async Task A_block_offered_to_the_node_arrives_as_a_block_event()
    {
        await using var node = await LiveNode.StartAsync(blocks: 5);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        using var response = await node.Http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(deadline.Token));

        var (first, firstData) = await events.NextAsync(deadline.Token);
        Assert.Equal("status", first);
        Assert.Equal(5, firstData.GetProperty("chain").GetProperty("height").GetInt64());

        var block = await node.OfferNextAsync("sse-miner", ["over", "the", "wire"]);
        JsonElement data;
        while (true)
        {
            var (type, d) = await events.NextAsync(deadline.Token);
            if (type == "block")
            {
                data = d;
                break;
            }

            Assert.Equal("status", type);
        }

        Assert.Equal(6, data.GetProperty("height").GetInt64());
        Assert.Equal(block.Hash, data.GetProperty("topHash").GetString());
        var newest = data.GetProperty("blocks")[0];
        Assert.Equal(block.Hash, newest.GetProperty("hash").GetString());
        Assert.Equal("sse-miner", newest.GetProperty("minedBy").GetString());
        Assert.Equal(6, data.GetProperty("blocks").GetArrayLength());

        // A status follows the block event at once: the rest of the page catches up with the chain.
        var (next, status) = await events.NextAsync(deadline.Token);
        Assert.Equal("status", next);
        Assert.Equal(6, status.GetProperty("chain").GetProperty("height").GetInt64());
    }

    [Fact]
    public async Task Status_events_keep_coming()
    {
        await using var node = await LiveNode.StartAsync(blocks: 1);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        using var response = await node.Http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(deadline.Token));
        var stamps = new List<DateTimeOffset>();
        for (var i = 0; i < 3; i++)
        {
            var (type, data) = await events.NextAsync(deadline.Token);
            Assert.Equal("status", type);
            stamps.Add(data.GetProperty("at").GetDateTimeOffset());
        }

        Assert.True(stamps[0] < stamps[1] && stamps[1] < stamps[2], "each status is a fresh snapshot");
    }

    [Fact]
    public async Task Stopping_the_dashboard_ends_open_streams()
    {
        var node = await LiveNode.StartAsync(blocks: 1);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        using var response = await node.Http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        using var events = new SseReader(await response.Content.ReadAsStreamAsync(deadline.Token));
        await events.NextAsync(deadline.Token);
        await node.Web.StopAsync().WaitAsync(deadline.Token);
        Assert.Null(await events.DrainAsync(deadline.Token));
        await node.DisposeAsync();
    }

    /// <summary>Reads "event:" / "data:" fields up to each blank line.</summary>
    private sealed class SseReader(Stream stream) : IDisposable
    {
        private readonly StreamReader reader = new(stream);

        public async Task<(string Type, JsonElement Data)> NextAsync(CancellationToken cancel)
        {
            string? type = null;
            var data = new List<string>();
            while (await reader.ReadLineAsync(cancel) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Count > 0)
                    {
                        return (type ?? "message", JsonDocument.Parse(string.Join("\n", data)).RootElement);
                    }

                    continue;
                }

                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    type = line["event:".Length..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Add(line["data:".Length..].TrimStart());
                }
            }

            throw new EndOfStreamException("the event stream ended");
        }

        /// <summary>Reads to the end of the stream; null once it ends.</summary>
        public async Task<string?> DrainAsync(CancellationToken cancel)
        {
            while (await reader.ReadLineAsync(cancel) is not null)
            {
            }

            return null;
        }

        public void Dispose() => reader.Dispose();
    }
}
