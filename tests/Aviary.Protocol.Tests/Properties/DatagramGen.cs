using System.Text;

using CsCheck;

namespace Aviary.Protocol.Tests.Properties;

/// <summary>
/// Hostile datagrams: random bytes, JSON-shaped noise, and valid encodings (ours and real peers')
/// mangled by bit flips, truncations, splices, duplicated fragments, nesting, insertions and deletions.
/// </summary>
internal static class DatagramGen
{
    /// <summary>Datagrams seen from real peers (protocol.md), as seeds for mutation.</summary>
    private static readonly string[] RealPeers =
    [
        """{"type":"GOSSIP","host":"130.179.28.120","port":8505,"id":"088fb841-4e28-4aed-97da-2bcea2927afd","name":"The Crevice III"}""",
        """{"type":"GOSSIP-REPLY","host":"130.179.28.129","port":8755,"name":"Cole Chuchmach"}""",
        """{"type": "STATS_REPLY", "height": "123", "hash": "None"}""",
        """{"host":"130.179.28.51","port":8790,"height":4542,"hash":"caab6110a889deb0082812c2ef7213cd8aa1f58cd86c10885e1ad44000000000"}""",
        """{"type": "GET_BLOCK_REPLY", "height": 4, "minedBy": "Prof!", "nonce": "9180556384442", "messages": ["boxers", "hosed", "conjugations", "adagio's", "uncomplimentary"], "hash": "b78a93871f45ce84b8174941c23ae87c45b0465eb05ea8f6b7172d6600000000", "timestamp": 1731024600}""",
        """{"type":"GET_BLOCK_REPLY","height":null,"minedBy":null,"minedBy":null,"messages":null,"hash":null,"timestamp":1731024600.5}""",
        """{"type":"ANNOUNCE","height":2013,"minedBy":"leorize","nonce":"*Ic\u001dB:D\u0012e?\u001a\u0018U2K&","messages":["prot\u00e9g\u00e9's"],"hash":"6a90cf4e2ac46dd0f3b59e8a99673b4e800f08ac96731e1c35c2972900000000","timestamp":1700000000}""",
        """["Sorry, seems we don't have 17"]""",
        """{"type":"GET_BLOCK","height":-1}""",
        """{"type":"NEW_WORD","word":"protégé's"}""",
    ];

    /// <summary>Real peers' datagrams and our encodings of generated messages, made once from a fixed seed.</summary>
    private static readonly byte[][] Corpus = [.. RealPeers.Select(Encoding.UTF8.GetBytes), .. Encodings(400)];

    private static readonly byte[] SignificantBytes = [.. "{}[]\":,\\-.0e "u8, 0x00, 0x1F, 0x7F, 0xC3, 0xE9, 0xFF];

    private static readonly Gen<byte[]> JsonNoise =
        Gen.Char["{}[]\":,0123456789-+.eE \\/utrnfalsT_\u00e9"].Array[0, 120].Select(cs => Encoding.UTF8.GetBytes(cs));

    /// <summary>All hostile datagrams, in proportions that reach deep into the decoder.</summary>
    public static readonly Gen<byte[]> Hostile = Gen.Frequency(
        (1, Gen.Byte.Array[0, 300]),
        (1, JsonNoise),
        (1, Gen.Int[0, Corpus.Length - 1].Select(i => Corpus[i])),
        (7, new Mutants()));

    private static IEnumerable<byte[]> Encodings(int count)
    {
        var pcg = new PCG(1, 0xC0DE);
        var buffer = new byte[WireLimits.MaxOutboundDatagram];
        for (var i = 0; i < count; i++)
        {
            if (MessageEncoder.TryEncode(MessageGen.Small.Generate(pcg, null, out _), buffer, out var written))
            {
                yield return buffer[..written];
            }
        }
    }

    /// <summary>A corpus entry with one to four mutations applied, drawn straight from the PCG (fast enough for 100,000 a run).</summary>
    private sealed class Mutants : Gen<byte[]>
    {
        public override byte[] Generate(PCG pcg, Size? min, out Size size)
        {
            var data = new List<byte>(Pick(pcg));
            for (var n = 1 + (int)pcg.Next(4); n > 0; n--)
            {
                Mutate(data, pcg);
            }

            size = new Size((ulong)data.Count);
            return [.. data];
        }

        private static byte[] Pick(PCG pcg) => Corpus[pcg.Next((uint)Corpus.Length)];

        private static int At(PCG pcg, List<byte> data) => (int)pcg.Next((uint)data.Count + 1);

        private static void Mutate(List<byte> data, PCG pcg)
        {
            var at = At(pcg, data);
            var to = At(pcg, data);
            (at, to) = (Math.Min(at, to), Math.Max(at, to));
            switch (pcg.Next(8))
            {
                case 0 when data.Count > 0: // flip one bit
                    var i = (int)pcg.Next((uint)data.Count);
                    data[i] ^= (byte)(1 << (int)pcg.Next(8));
                    break;
                case 1: // truncate, as a short receive buffer does
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 2: // splice: this one's head, another's tail
                    var other = Pick(pcg);
                    data.RemoveRange(at, data.Count - at);
                    data.AddRange(other.AsSpan((int)pcg.Next((uint)other.Length + 1)));
                    break;
                case 3: // duplicate a fragment in place, now and then many times (repeated keys, long lists)
                    var fragment = data.GetRange(at, to - at);
                    for (var copies = pcg.Next(4) == 0 ? 1 + pcg.Next(80) : 1; copies > 0 && data.Count < WireLimits.MaxInboundDatagram; copies--)
                    {
                        data.InsertRange(to, fragment);
                    }

                    break;
                case 4: // delete a range
                    data.RemoveRange(at, to - at);
                    break;
                case 5: // nest: a run of arrays or objects around a value
                    var depth = 1 + (int)pcg.Next(12);
                    var nest = pcg.Next(2) == 0
                        ? new string('[', depth) + "1" + new string(']', depth)
                        : string.Concat(Enumerable.Repeat("{\"k\":", depth)) + "1" + new string('}', depth);
                    data.InsertRange(at, Encoding.UTF8.GetBytes(nest));
                    break;
                case 6 when pcg.Next(4) == 0: // a run of letters: inside a string, a string over the limit
                    data.InsertRange(at, Enumerable.Repeat((byte)'z', 400 + (int)pcg.Next(300)));
                    break;
                default: // insert a JSON-significant byte or a byte that is not UTF-8 on its own
                    data.Insert(at, SignificantBytes[pcg.Next((uint)SignificantBytes.Length)]);
                    break;
            }
        }
    }
}
