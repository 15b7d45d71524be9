using System.Buffers.Binary;
using System.Security.Cryptography;

using CsCheck;

namespace Aviary.Mining.Tests;

/// <summary>Every kernel computes the same SHA-256 as System.Security.Cryptography, on every nonce layout.</summary>
public sealed class KernelTests
{
    [Theory]
    [MemberData(nameof(TierData.Names), MemberType = typeof(TierData))]
    public void Kernel_digest_last_word_matches_SHA256_on_random_templates_of_every_layout(string name)
    {
        var probe = (IKernelProbe)TierData.Supported(name);
        var random = new Random(3010);
        Span<uint> lastWords = stackalloc uint[16];
        var fastWords = new HashSet<int>();
        for (var tail = 0; tail < 64; tail++)
        {
            foreach (var genesis in new[] { false, true })
            {
                var layout = NonceLayout.For(Templates.WithTail(tail, random, genesis));
                fastWords.Add(layout.FastWord);
                for (var round = 0; round < 2; round++)
                {
                    var counter = (ulong)random.NextInt64((long)NonceLayout.CounterLimit) & ~15UL;
                    probe.LastWords(layout, counter, lastWords);
                    for (var lane = 0; lane < 16; lane++)
                    {
                        var expected = Templates.ReferenceLastWord(layout, counter + (ulong)lane);
                        Assert.True(expected == lastWords[lane], $"{name}, tail {tail}, fast word {layout.FastWord}, counter {counter + (ulong)lane:x}: {lastWords[lane]:x8}, SHA-256 says {expected:x8}");
                    }
                }
            }
        }

        // All ten kernel specialisations were exercised.
        Assert.Equal(Enumerable.Range(4, 10), fastWords.Order());
    }

    [Fact]
    public void Scalar_compression_with_padding_matches_SHA256_on_random_messages()
    {
        Gen.Byte.Array[0, 300].Sample(message =>
        {
            var padded = new byte[(message.Length + 9 + 63) / 64 * 64];
            message.CopyTo(padded, 0);
            padded[message.Length] = 0x80;
            BinaryPrimitives.WriteUInt64BigEndian(padded.AsSpan(padded.Length - 8), (ulong)message.Length * 8);

            Span<uint> state = stackalloc uint[8];
            Sha256Constants.InitialState.CopyTo(state);
            for (var at = 0; at < padded.Length; at += 64)
            {
                Sha256Scalar.Compress(state, padded.AsSpan(at, 64));
            }

            var expected = SHA256.HashData(message);
            for (var i = 0; i < 8; i++)
            {
                Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(expected.AsSpan(4 * i)), state[i]);
            }
        });
    }

    [Fact]
    public void Each_kernel_specialisation_carries_the_dependence_mask_of_its_fast_word()
    {
        Check<FastWord4>();
        Check<FastWord5>();
        Check<FastWord6>();
        Check<FastWord7>();
        Check<FastWord8>();
        Check<FastWord9>();
        Check<FastWord10>();
        Check<FastWord11>();
        Check<FastWord12>();
        Check<FastWord13>();

        static void Check<TF>()
            where TF : struct, IFastWord =>
            Assert.True(ScheduleDependence.VaryingMask(TF.Index) == TF.Varying, $"{typeof(TF).Name}: {TF.Varying:x16}, computed {ScheduleDependence.VaryingMask(TF.Index):x16}");
    }

    [Fact]
    public void Dependence_mask_marks_a_word_exactly_when_one_of_its_inputs_varies()
    {
        var mask = ScheduleDependence.VaryingMask(13);

        // W16..W19 read only words 0–4, 9–12, 14, 15; W20 reads W13 directly; W28 through σ0(W13).
        Assert.False(ScheduleDependence.Varies(mask, 16));
        Assert.False(ScheduleDependence.Varies(mask, 19));
        Assert.True(ScheduleDependence.Varies(mask, 20));
        Assert.False(ScheduleDependence.Varies(mask, 21));
        Assert.True(ScheduleDependence.Varies(mask, 28));
        Assert.False(ScheduleDependence.Varies(mask, 12));
        Assert.True(ScheduleDependence.Varies(mask, 13));
    }
}
