using System.Net;
using System.Text;
using System.Text.Unicode;

namespace Aviary.Bench;

/// <summary>One kind of hostile traffic in <c>aviary bench flood</c>, and how to write its next datagram.</summary>
internal sealed class FloodMix(string name, Func<FloodMix.Context, int> write)
{
    /// <summary>Every forged storm source lies in 127.12.0.0/16 (this machine's loopback).</summary>
    private const uint StormBase = (127u << 24) | (12u << 16);

    /// <summary>The mix whose forged GOSSIPs name the third party (the report's amplification figure).</summary>
    public const string ThirdPartyMix = "gossip naming a third party";

    public string Name { get; } = name;

    /// <summary>
    /// The forged source (IPv4 address, host order, and port) of datagram number n, or null when the
    /// mix is sent from the attacker's own sockets.
    /// </summary>
    public Func<int, (uint Address, int Port)>? Forge { get; init; }

    /// <summary>The forged source must be exact (a victim's address): without raw sockets the mix is skipped, not approximated.</summary>
    public bool NeedsRaw { get; init; }

    /// <summary>Which response budget this mix is held to (<see cref="FloodBudgets"/>).</summary>
    public FloodCheck Check { get; init; }

    /// <summary>Writes datagram number <see cref="Context.Sequence"/> into <see cref="Context.Buffer"/>; returns its length.</summary>
    public int Write(Context context) => write(context);

    /// <summary>
    /// The eight mixes, in the order they are sent. <paramref name="thirdParty"/> is the victim named in
    /// forged GOSSIPs; <paramref name="victim"/> the one whose address forged requests carry.
    /// </summary>
    public static IReadOnlyList<FloodMix> All(IPEndPoint thirdParty, IPEndPoint victim)
    {
        var random = new Random(2026);
        var junk = Enumerable.Range(0, 64).Select(_ => RandomBytes(random)).ToArray();
        var huge = Encoding.UTF8.GetBytes("{\"type\":\"GOSSIP\",\"pad\":\"" + new string('x', 64_900) + "\"}");
        var nested = Encoding.UTF8.GetBytes("{\"type\":" + new string('[', 30_000) + new string(']', 30_000) + "}");
        var claim = Encoding.UTF8.GetBytes($"{{\"type\":\"STATS_REPLY\",\"height\":{long.MaxValue},\"hash\":\"{new string('a', 56)}00000000\"}}");
        var victimHost = thirdParty.Address.ToString();
        var stats = Encoding.UTF8.GetBytes("{\"type\":\"STATS\"}");
        var victimAddress = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(victim.Address.GetAddressBytes());
        return
        [
            new("random bytes", c => Copy(junk[c.Sequence % junk.Length], c.Buffer)),
            new("64 KiB JSON", c => Copy(huge, c.Buffer)),
            new("deeply nested JSON", c => Copy(nested, c.Buffer)),
            new("unique gossip, spoofed names", c => c.Sequence % 2 == 0
                ? Utf8Text(Utf8.TryWrite(c.Buffer, $"{{\"type\":\"GOSSIP\",\"host\":\"{c.SourceHost}\",\"port\":{c.SourcePort},\"id\":\"flood-{c.Sequence}\",\"name\":\"spoof {c.Sequence}\"}}", out var a), a)
                : Utf8Text(Utf8.TryWrite(c.Buffer, $"{{\"type\":\"GOSSIP\",\"host\":\"127.20.{(c.Sequence >> 8) & 255}.{c.Sequence & 255}\",\"port\":{1024 + (c.Sequence % 60_000)},\"id\":\"flood-{c.Sequence}\",\"name\":\"ghost {c.Sequence}\"}}", out var b), b)),
            new("STATS_REPLY height 2^63-1", c => Copy(claim, c.Buffer)),
            new(ThirdPartyMix, c => Utf8Text(Utf8.TryWrite(c.Buffer, $"{{\"type\":\"GOSSIP\",\"host\":\"{victimHost}\",\"port\":{thirdParty.Port},\"id\":\"aim-{c.Sequence}\",\"name\":\"victim\"}}", out var n), n)),

            // Reflection: requests whose answers are bigger than they are, all carrying the victim's address.
            new("spoofed requests naming a victim", c => c.Sequence % 2 == 0
                ? Copy(stats, c.Buffer)
                : Utf8Text(Utf8.TryWrite(c.Buffer, $"{{\"type\":\"GET_BLOCK\",\"height\":{c.Sequence % 10}}}", out var g), g))
            {
                Forge = _ => (victimAddress, victim.Port),
                NeedsRaw = true,
                Check = FloodCheck.Victim,
            },

            // A broken course peer: every STATS from a new socket, so no per-address budget ever fills.
            new("STATS storm, new port each", c => Copy(stats, c.Buffer))
            {
                Check = FloodCheck.Global,
                Forge = n => (StormBase | (uint)((n / 64_000 % 65_000) + 1), 1024 + (n % 64_000)),
            },
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
