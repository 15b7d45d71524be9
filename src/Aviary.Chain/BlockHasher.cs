using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

using Aviary.Protocol;

namespace Aviary.Chain;

/// <summary>
/// The reference block hash (protocol.md §8): SHA-256 over the previous hash as 64 hex characters
/// (omitted at height 0), minedBy, each message, the timestamp as 8 big-endian bytes, and the nonce,
/// all text as UTF-8. Lowercase hex. No allocation on the checking path.
/// </summary>
public static class BlockHasher
{
    private const int StackLimit = 1024;

    /// <summary>The hash input length in bytes for this block.</summary>
    public static int InputLength(Block block, string? previousHash)
    {
        var n = (previousHash?.Length ?? 0) + Encoding.UTF8.GetByteCount(block.MinedBy) + 8 + Encoding.UTF8.GetByteCount(block.Nonce);
        foreach (var m in block.Messages)
        {
            n += Encoding.UTF8.GetByteCount(m);
        }

        return n;
    }

    /// <summary>Writes the exact bytes that are hashed. <paramref name="destination"/> must hold <see cref="InputLength"/>.</summary>
    public static int WriteInput(Block block, string? previousHash, Span<byte> destination)
    {
        var at = 0;
        if (previousHash is not null)
        {
            at += Encoding.UTF8.GetBytes(previousHash, destination);
        }

        at += Encoding.UTF8.GetBytes(block.MinedBy, destination[at..]);
        foreach (var m in block.Messages)
        {
            at += Encoding.UTF8.GetBytes(m, destination[at..]);
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination[at..], (ulong)block.Timestamp);
        at += 8;
        at += Encoding.UTF8.GetBytes(block.Nonce, destination[at..]);
        return at;
    }

    /// <summary>SHA-256 of the block's hash input into <paramref name="digest"/> (32 bytes).</summary>
    public static void ComputeDigest(Block block, string? previousHash, Span<byte> digest)
    {
        var length = InputLength(block, previousHash);
        byte[]? rented = null;
        var input = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var used = WriteInput(block, previousHash, input);
            SHA256.HashData(input[..used], digest);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The block's hash as 64 lowercase hex characters.</summary>
    public static string Compute(Block block, string? previousHash)
    {
        Span<byte> digest = stackalloc byte[32];
        ComputeDigest(block, previousHash, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>True when the block's claimed hash is the hash of its contents on top of <paramref name="previousHash"/>.</summary>
    public static bool Matches(Block block, string? previousHash)
    {
        if (!Hex.IsHash(block.Hash))
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[32];
        ComputeDigest(block, previousHash, digest);
        Span<char> hex = stackalloc char[64];
        Convert.TryToHexStringLower(digest, hex, out _);
        return hex.SequenceEqual(block.Hash);
    }
}
