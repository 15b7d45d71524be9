using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

using Aviary.Web.Api;

namespace Aviary.Web;

/// <summary>
/// The live stream behind GET /api/events: a "status" event at once and then every interval, and a
/// "block" event whenever the chain changes (appends and reorgs alike, coalesced while one is sent),
/// followed at once by a status.
/// </summary>
internal sealed class LiveEvents(NodeAccess node, ChainWatch watch, Func<Task<StatusDto>> status, JsonSerializerOptions json, TimeSpan interval)
{
    public const string StatusEvent = "status";
    public const string BlockEvent = "block";

    public async IAsyncEnumerable<SseItem<string>> StreamAsync([EnumeratorCancellation] CancellationToken cancel)
    {
        var seen = watch.Version;
        yield return Item(StatusEvent, await status());
        var nextStatus = DateTimeOffset.UtcNow + interval;
        while (!cancel.IsCancellationRequested)
        {
            var wait = nextStatus - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                var change = watch.WaitForChangeAsync(seen, cancel);
                await Task.WhenAny(change, Task.Delay(wait, cancel));
                if (cancel.IsCancellationRequested)
                {
                    yield break;
                }
            }

            if (watch.Version != seen)
            {
                seen = watch.Version;
                var chain = await node.ReadAsync(c => StatusMapper.ChainEvent(c.Chain), cancel);
                yield return Item(BlockEvent, chain);

                // A status follows at once, so the miner's block, the words and the peers never lag the chain shown.
                nextStatus = DateTimeOffset.UtcNow;
            }

            if (DateTimeOffset.UtcNow >= nextStatus)
            {
                nextStatus = DateTimeOffset.UtcNow + interval;
                yield return Item(StatusEvent, await status());
            }
        }
    }

    private SseItem<string> Item<T>(string type, T data) => new(JsonSerializer.Serialize(data, json), type);
}
