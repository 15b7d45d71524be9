using System.Buffers.Binary;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Mining.Tests;

/// <summary>Templates with a chosen hash-input length, and the reference answers the kernels must match.</summary>
internal static class Templates
{
    public const string PreviousHash = "8f2c1d0a9b7e6f5a4c3b2a19080706050403020100ffeeddccbbaa9988776655";

    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>
    /// A template whose hash input before the nonce leaves <paramref name="tail"/> bytes (0–63) in its
    /// last 64-byte block; every tail gives a different nonce layout.
    /// </summary>
    public static BlockTemplate WithTail(int tail, Random random, bool genesis = false)
    {
        var messages = new List<string>();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            messages.Add(Word(random, random.Next(0, 21)));
        }

        var fixedBytes = (genesis ? 0 : 64) + messages.Sum(m => m.Length) + 8;
        var minedByLength = (((tail - fixedBytes) % 64) + 64) % 64 + (64 * random.Next(0, 2));
        var timestamp = random.NextInt64(0, 1L << 40);
        return genesis
            ? BlockTemplate.Genesis(Word(random, minedByLength), messages, timestamp)
            : new BlockTemplate(PreviousHash, random.Next(1, 100_000), Word(random, minedByLength), messages, timestamp);
    }

    public static BlockTemplate Simple(int height = 7) =>
        new(PreviousHash, height, "aviary-test", ["hello", "world"], 1_732_000_000);

    /// <summary>The digest's last word for <paramref name="counter"/>, by BlockHasher (System.Security.Cryptography).</summary>
    public static uint ReferenceLastWord(NonceLayout layout, ulong counter)
    {
        var t = layout.Template;
        var block = new Block(t.Height, t.MinedBy, layout.NonceFor(counter), t.Messages, "", t.Timestamp);
        Span<byte> digest = stackalloc byte[32];
        BlockHasher.ComputeDigest(block, t.PreviousHash, digest);
        return BinaryPrimitives.ReadUInt32BigEndian(digest[28..]);
    }

    /// <summary>The first counter from <paramref name="start"/> whose block meets <paramref name="difficulty"/>, by plain hashing.</summary>
    public static ulong ReferenceFirst(NonceLayout layout, ulong start, int difficulty)
    {
        for (var counter = start; ; counter++)
        {
            if (BlockValidator.MeetsDifficulty(layout.BlockFor(counter).Hash, difficulty))
            {
                return counter;
            }
        }
    }

    public static int PrefixTail(BlockTemplate t)
    {
        var probe = new Block(t.Height, t.MinedBy, "", t.Messages, "", t.Timestamp);
        return BlockHasher.InputLength(probe, t.PreviousHash) % 64;
    }

    private static string Word(Random random, int length) =>
        string.Create(length, random, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Letters[r.Next(Letters.Length)];
            }
        });
}
