using System.Net;
using System.Text;
using System.Text.Unicode;

namespace Aviary.Cli;

/// <summary>One kind of hostile traffic in <c>aviary bench flood</c>, and how to write its next datagram.</summary>
internal sealed class FloodMix(string name, Func<FloodMix.Context, int> write)
{
    public string Name { get; } = name;

    /// <summary>Writes datagram number <see cref="Context.Sequence"/> into <see cref="Context.Buffer"/>; returns its length.</summary>
    public int Write(Context context) => write(context);

    /// <summary>The six mixes, in the order they are sent. <paramref name="thirdParty"/> is the victim named in the last one.</summary>
    public static IReadOnlyList<FloodMix> All(IPEndPoint thirdParty)
    {
        var random = new Random(2026);
        var junk = Enumerable.Range(0, 64).Select(_ => RandomBytes(random)).ToArray();
        var huge = Encoding.UTF8.GetBytes("{\"type\":\"GOSSIP\",\"pad\":\"" + new string('x', 64_900) + "\"}");
        var nested = Encoding.UTF8.GetBytes("{\"type\":" + new string('[', 30_000) + new string(']', 30_000) + "}");
        var claim = Encoding.UTF8.GetBytes($"{{\"type\":\"STATS_REPLY\",\"height\":{long.MaxValue},\"hash\":\"{new string('a', 56)}00000000\"}}");
        var victimHost = thirdParty.Address.ToString();
        return
        [
            new("random bytes", c => Copy(junk[c.Sequence % junk.Length], c.Buffer)),
            new("64 KiB JSON", c => Copy(huge, c.Buffer)),
            new("deeply nested JSON", c => Copy(nested, c.Buffer)),
            new("unique gossip, spoofed names", c => c.Sequence % 2 == 0
                ? Utf8Text(Utf8.TryWrite(c.Buffer, $"{{\"type\":\"GOSSIP\",\"host\":\"{c.SourceHost}\",\"port\":{c.SourcePort},\"id\":\"flood-{c.Sequence}\",\"name\":\"spoof {c.Sequence}\"}}", out var a), a)
                : Utf8Text(Utf8.TryWrite(c.Buffer, $"{{\"type\":\"GOSSIP\",\"host\":\"127.20.{(c.Sequence >> 8) & 255}.{c.Sequence & 255}\",\"port\":{1024 + (c.Sequence % 60_000)},\"id\":\"flood-{c.Sequence}\",\"name\":\"ghost {c.Sequence}\"}}", out var b), b)),
            new("STATS_REPLY height 2^63-1", c => Copy(claim, c.Buffer)),
            new("gossip naming a third party", c => Utf8Text(Utf8.TryWrite(c.Buffer, $"{{\"type\":\"GOSSIP\",\"host\":\"{victimHost}\",\"port\":{thirdParty.Port},\"id\":\"aim-{c.Sequence}\",\"name\":\"victim\"}}", out var n), n)),
        ];
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 1400)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static int Copy(byte[] source, byte[] destination)
    {
        source.CopyTo(destination, 0);
        return source.Length;
    }

    private static int Utf8Text(bool fitted, int written) => fitted ? written : 0;

    /// <summary>What a mix needs to write one datagram: a reusable buffer, the datagram's number and its source socket.</summary>
    internal sealed class Context
    {
        public byte[] Buffer { get; } = new byte[65_507];

        public int Sequence { get; set; }

        public string SourceHost { get; set; } = string.Empty;

        public int SourcePort { get; set; }
    }
}
