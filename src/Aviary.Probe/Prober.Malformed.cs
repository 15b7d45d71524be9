using System.Text;

namespace Aviary.Probe;

/// <summary>Hostile input: the peer must still answer afterwards (design.md: bad input never throws).</summary>
public sealed partial class Prober
{
    /// <summary>The datagrams sent, each with a short label for the evidence.</summary>
    public static IReadOnlyList<(string Label, byte[] Bytes)> MalformedDatagrams { get; } = BuildMalformed();

    private async Task<(CheckOutcome, string)> MalformedAsync(CancellationToken cancel)
    {
        if (stats is null)
        {
            return Skip("the peer never answered STATS, so whether it survives cannot be told");
        }

        foreach (var (_, bytes) in MalformedDatagrams)
        {
            await a.SendAsync(bytes, cancel);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(200), cancel);
        a.Drain();
        var sent = $"sent {MalformedDatagrams.Count} malformed datagrams ({string.Join(", ", MalformedDatagrams.Select(m => m.Label))})";
        var reply = await AskAsync(a, StatsRequest, d => d.Type is "STATS_REPLY", cancel);
        return reply is null
            ? Fail($"{sent}; then STATS: {Silence(3)}")
            : Pass($"{sent}; then STATS answered: {reply.Show(120)}");
    }

    private static List<(string, byte[])> BuildMalformed()
    {
        var junk = new byte[200];
        for (var i = 0; i < junk.Length; i++)
        {
            junk[i] = (byte)((i * 73) + 11);
        }

        static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
        return
        [
            ("junk bytes", junk),
            ("empty", []),
            ("invalid UTF-8", [.. "{\"type\":\""u8, 0xff, 0xfe, .. "\"}"u8]),
            ("60,000 nested arrays", Utf8(new string('[', 60_000))),
            ("deep GET_BLOCK height", Utf8($"{{\"type\":\"GET_BLOCK\",\"height\":{new string('[', 5000)}{new string(']', 5000)}}}")),
            ("JSON array", Utf8("[\"Empty Chain\"]")),
            ("int type", Utf8("{\"type\":42}")),
            ("object height", Utf8("{\"type\":\"GET_BLOCK\",\"height\":{\"$gt\":1}}")),
            ("GOSSIP of wrong types", Utf8("{\"type\":\"GOSSIP\",\"host\":7,\"port\":\"x\",\"id\":[],\"name\":null}")),
            ("ANNOUNCE of wrong types", Utf8("{\"type\":\"ANNOUNCE\",\"height\":\"1\",\"minedBy\":5,\"nonce\":1,\"messages\":\"m\",\"hash\":0,\"timestamp\":1.5}")),
            ("STATS_REPLY of wrong types", Utf8("{\"type\":\"STATS_REPLY\",\"height\":\"NaN\",\"hash\":[]}")),
            ("unterminated", Utf8("{\"type\":\"STATS\"")),
        ];
    }
}
