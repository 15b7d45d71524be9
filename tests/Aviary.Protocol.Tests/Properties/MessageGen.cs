using CsCheck;

namespace Aviary.Protocol.Tests.Properties;

/// <summary>Generators of protocol messages whose field values stress the encoder's escaping.</summary>
internal static class MessageGen
{
    /// <summary>
    /// One piece of text: mostly plain letters, with printable ASCII (quotes, backslashes), control
    /// characters, 2- and 3-byte UTF-8 and astral code points (surrogate pairs). Always valid Unicode.
    /// </summary>
    public static readonly Gen<string> Piece = Gen.Frequency(
        (8, Gen.Char['a', 'z'].Select(c => c.ToString())),
        (3, Gen.Char[' ', '~'].Select(c => c.ToString())),
        (2, Gen.Char['\0', '\u001f'].Select(c => c.ToString())),
        (2, Gen.OneOfConst("\"", "\\", "/", "\u007f", "\\u0041", "</b>", "\r\n")),
        (2, Gen.Char['\u00a0', '\u07ff'].Select(c => c.ToString())),
        (2, Gen.Char['\u0800', '\ud7ff'].Select(c => c.ToString())),
        (1, Gen.Char['\ue000', '\uffff'].Select(c => c.ToString())),
        (1, Gen.Int[0x10000, 0x10FFFF].Select(char.ConvertFromUtf32)));

    public static readonly Gen<string> Hash = Gen.String[Gen.Char["0123456789abcdef"], 64, 64];

    public static Gen<string> Text(int minPieces, int maxPieces) => Piece.Array[minPieces, maxPieces].Select(string.Concat);

    /// <summary>Messages that fit a datagram most of the time.</summary>
    public static readonly Gen<Message> Small = Any(textPieces: 12, messages: 12);

    /// <summary>Messages with long fields: many go over the 1024-byte datagram limit.</summary>
    public static readonly Gen<Message> Large = Any(textPieces: 250, messages: 24);

    public static Gen<Block> Block(int textPieces, int messages) =>
        Gen.Select(
            Gen.Long,
            Text(0, textPieces),
            Text(0, textPieces),
            Text(0, Math.Min(textPieces, 20)).Array[0, messages],
            Hash,
            Gen.Long[0, long.MaxValue],
            (height, minedBy, nonce, list, hash, timestamp) => new Block(height, minedBy, nonce, list, hash, timestamp));

    private static Gen<Message> Any(int textPieces, int messages)
    {
        var host = Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:_%[]"].Array[1, Math.Min(textPieces * 2, 253)].Select(c => new string(c));
        var port = Gen.Int[1, WireLimits.MaxPort];
        var block = Block(textPieces, messages);
        var height = Gen.Frequency((1, Gen.Const((long?)null)), (5, Gen.Long.Select(h => (long?)h)));
        return Gen.OneOf<Message>(
            Gen.Select(host, port, Text(1, textPieces), Text(0, textPieces), (h, p, id, name) => new Gossip(h, p, id, name)),
            Gen.Select(host, port, Text(0, textPieces), (h, p, name) => new GossipReply(h, p, name)),
            Gen.Const<Message>(Stats.Instance),
            Gen.Select(
                Gen.Frequency((1, Gen.Const((long?)null)), (5, Gen.Long[0, long.MaxValue].Select(h => (long?)h))),
                Gen.Frequency((1, Gen.Const((string?)null)), (5, Hash.Select(h => (string?)h))),
                (h, hash) => new StatsReply(h, hash)),
            height.Select(h => new GetBlock(h)),
            Gen.Frequency((1, Gen.Const(GetBlockReply.Missing)), (6, block.Select(b => new GetBlockReply(b)))),
            block.Select(b => new Announce(b)),
            Text(0, textPieces).Select(w => new NewWord(w)),
            Gen.Const<Message>(Consensus.Instance));
    }
}
