using System.Buffers.Binary;

using Aviary.Chain;
using Aviary.Protocol;

namespace Aviary.Mining;

/// <summary>
/// Where a template's nonce goes, chosen so that each attempt costs one SHA-256 compression.
/// The hash input is prefix ‖ nonce, and the nonce is <see cref="FillerLength"/> '0' characters followed
/// by a 48-bit counter as 12 lowercase hex digits. The filler is sized so that all 12 counter digits
/// fall in the last 64-byte block, and the last one in a word that holds three or four of them, as late
/// in the block as the 39-character nonce limit allows (word 13 whenever the prefix leaves 16 to 43 bytes
/// in its last block). Everything before that last block is folded into <see cref="Midstate"/> once.
/// </summary>
public sealed class NonceLayout
{
    /// <summary>Counter digits at the end of every nonce.</summary>
    public const int CounterDigits = 12;

    /// <summary>The number of distinct counters: 16^12.</summary>
    public const ulong CounterLimit = 1UL << (4 * CounterDigits);

    private const char Filler = '0';
    private const int BlockBytes = 64;

    /// <summary>The last byte offset of a final block that message bytes may use (then 0x80 and the length).</summary>
    private const int MaxEnd = BlockBytes - 9;

    private readonly uint[] midstate = new uint[8];
    private readonly byte[] finalBlock = new byte[BlockBytes];
    private readonly string filler;

    private NonceLayout(BlockTemplate template)
    {
        var problem = template.Problem();
        if (problem is not null)
        {
            throw new ArgumentException($"cannot mine this template: {problem}", nameof(template));
        }

        Template = template;
        var probe = new Block(template.Height, template.MinedBy, "", template.Messages, "", template.Timestamp);
        var prefixLength = BlockHasher.InputLength(probe, template.PreviousHash);
        var tail = prefixLength % BlockBytes;

        // Either the nonce shares the prefix's last block, or (when fewer than 12 bytes are left
        // before the padding) a run of filler closes that block and the nonce ends in the next one.
        int end;
        if (tail <= MaxEnd - CounterDigits)
        {
            end = BestEnd(Math.Min(MaxEnd, tail + BlockValidator.MaxNonceLength));
            NonceLength = end - tail;
        }
        else
        {
            var closing = BlockBytes - tail;
            end = BestEnd(BlockValidator.MaxNonceLength - closing);
            NonceLength = closing + end;
        }

        FillerLength = NonceLength - CounterDigits;
        filler = new string(Filler, FillerLength);
        End = end;
        FastWord = (end - 1) / 4;
        FastDigits = end - (4 * FastWord);

        var message = new byte[prefixLength + NonceLength + 9 + BlockBytes];
        var total = prefixLength + NonceLength;
        BlockHasher.WriteInput(probe with { Nonce = NonceFor(0) }, template.PreviousHash, message);
        message[total] = 0x80;
        var padded = (total + 9 + BlockBytes - 1) / BlockBytes * BlockBytes;
        BinaryPrimitives.WriteUInt64BigEndian(message.AsSpan(padded - 8), (ulong)total * 8);
        var finalStart = padded - BlockBytes;

        Sha256Constants.InitialState.CopyTo(midstate);
        for (var at = 0; at < finalStart; at += BlockBytes)
        {
            Sha256Scalar.Compress(midstate, message.AsSpan(at, BlockBytes));
        }

        message.AsSpan(finalStart, BlockBytes).CopyTo(finalBlock);
        finalBlock.AsSpan(end - CounterDigits, CounterDigits).Clear();
        VaryingWords = ScheduleDependence.VaryingMask(FastWord);
        InnerWords = BuildInnerWords();
        LaneWords = BuildLaneWords();
    }

    /// <summary>The template this layout mines.</summary>
    public BlockTemplate Template { get; }

    /// <summary>Characters in every nonce of this template (at most 39).</summary>
    public int NonceLength { get; }

    /// <summary>Leading '0' characters before the counter digits.</summary>
    public int FillerLength { get; }

    /// <summary>The index (0–15) of the last-block word that holds the last counter digits.</summary>
    public int FastWord { get; }

    /// <summary>How many counter digits the fast word holds (3 or 4).</summary>
    public int FastDigits { get; }

    /// <summary>The offset in the last block just past the nonce.</summary>
    internal int End { get; }

    /// <summary>The chaining value after every block before the last one.</summary>
    internal ReadOnlySpan<uint> Midstate => midstate;

    /// <summary>The last block with the counter digits zeroed.</summary>
    internal ReadOnlySpan<byte> FinalBlock => finalBlock;

    /// <summary>Bit t set when schedule word t depends on the fast word (see <see cref="ScheduleDependence"/>).</summary>
    internal ulong VaryingWords { get; }

    /// <summary>The fast word for each value of its digits above the lowest (lane) digit, lane digit zeroed.</summary>
    internal uint[] InnerWords { get; }

    /// <summary>The lowest counter digit 0–f as it sits in the fast word, one entry per lane.</summary>
    internal uint[] LaneWords { get; }

    /// <summary>Counters per inner word: 16 lanes.</summary>
    internal static int GroupSize => 16;

    /// <summary>The layout for <paramref name="template"/>; throws <see cref="ArgumentException"/> if it cannot be mined.</summary>
    public static NonceLayout For(BlockTemplate template) => new(template);

    /// <summary>The nonce string for <paramref name="counter"/> (below <see cref="CounterLimit"/>).</summary>
    public string NonceFor(ulong counter)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(counter, CounterLimit);
        return string.Concat(filler, counter.ToString("x12", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The block that <paramref name="counter"/> gives, with its hash computed by the reference hasher.</summary>
    public Block BlockFor(ulong counter)
    {
        var block = new Block(Template.Height, Template.MinedBy, NonceFor(counter), Template.Messages, "", Template.Timestamp);
        return block with { Hash = BlockHasher.Compute(block, Template.PreviousHash) };
    }

    /// <summary>Writes the last block's 16 words with the counter digits of <paramref name="outer"/> (the counter above the fast word) in place.</summary>
    internal void WriteWords(ulong outer, Span<uint> words)
    {
        Span<byte> block = stackalloc byte[BlockBytes];
        finalBlock.CopyTo(block);
        for (var k = FastDigits; k < CounterDigits; k++)
        {
            block[End - 1 - k] = HexDigit((uint)(outer >> (4 * (k - FastDigits))) & 15);
        }

        Sha256Scalar.ReadWords(block, words);
    }

    internal static byte HexDigit(uint nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    private static int BestEnd(int limit)
    {
        // The fast word should hold 3 digits and the 0x80 byte, or 4 digits: never 1 or 2, which
        // would make the per-word precomputation run every 16 or 256 attempts.
        var end = limit;
        while (end % 4 is 1 or 2)
        {
            end--;
        }

        return end;
    }

    private uint FastWordBase() => BinaryPrimitives.ReadUInt32BigEndian(finalBlock.AsSpan(4 * FastWord));

    private uint[] BuildInnerWords()
    {
        var innerDigits = FastDigits - 1;
        var words = new uint[1 << (4 * innerDigits)];
        var baseWord = FastWordBase();
        for (var g = 0; g < words.Length; g++)
        {
            var word = baseWord;
            for (var k = 1; k <= innerDigits; k++)
            {
                var at = End - 1 - k - (4 * FastWord);
                word |= (uint)HexDigit((uint)(g >> (4 * (k - 1))) & 15) << (8 * (3 - at));
            }

            words[g] = word;
        }

        return words;
    }

    private uint[] BuildLaneWords()
    {
        var at = End - 1 - (4 * FastWord);
        var lanes = new uint[GroupSize];
        for (var i = 0; i < lanes.Length; i++)
        {
            lanes[i] = (uint)HexDigit((uint)i) << (8 * (3 - at));
        }

        return lanes;
    }
}
