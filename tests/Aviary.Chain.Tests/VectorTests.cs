using Aviary.Protocol;

namespace Aviary.Chain.Tests;

/// <summary>Every block in the shared vectors: real ones verify, invalid ones fail for their stated reason.</summary>
public sealed class VectorTests
{
    public static TheoryData<string> RealBlocks => SharedVectors.Ids("real_blocks");

    public static TheoryData<string> InvalidCases => SharedVectors.Ids("invalid_cases");

    public static TheoryData<string> ConstructedCases => SharedVectors.Ids("constructed_pow_valid_cases");

    [Theory]
    [MemberData(nameof(RealBlocks))]
    public void Real_block_meets_its_recorded_difficulty(string id)
    {
        var e = SharedVectors.ById(id);
        var block = SharedVectors.ToBlock(e);
        Assert.Equal(e.GetProperty("meets_difficulty_8").GetBoolean(), BlockValidator.MeetsDifficulty(block.Hash, 8));
        Assert.Equal(e.GetProperty("meets_difficulty_9").GetBoolean(), BlockValidator.MeetsDifficulty(block.Hash, 9));
        Assert.True(BlockValidator.CheckStructure(block, block.Height).IsValid);
    }

    [Theory]
    [MemberData(nameof(RealBlocks))]
    public void Real_block_with_known_predecessor_verifies(string id)
    {
        var e = SharedVectors.ById(id);
        var block = SharedVectors.ToBlock(e);
        if (!e.GetProperty("prev_hash_known").GetBoolean())
        {
            // Only difficulty can be checked without the predecessor; the test above does that.
            Assert.Equal(8, Math.Min(8, Hex.TrailingZeros(block.Hash)));
            return;
        }

        var verdict = BlockValidator.Validate(block, SharedVectors.PrevHash(e), block.Height, difficulty: 8);
        Assert.True(verdict.IsValid, verdict.ToString());
        Assert.Equal(block.Hash, BlockHasher.Compute(block, SharedVectors.PrevHash(e)));
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Invalid_case_is_rejected_for_its_stated_reason(string id)
    {
        var e = SharedVectors.ById(id);
        var block = SharedVectors.ToBlock(e);
        var verdict = BlockValidator.Validate(block, SharedVectors.PrevHash(e), block.Height, difficulty: 8);
        Assert.False(verdict.IsValid);

        var violations = e.GetProperty("structural_violations").EnumerateArray().Select(v => v.GetString()!).ToList();
        Assert.Equal(ExpectedRule(violations, block), verdict.Rule);

        // The recorded recomputation agrees with ours.
        Assert.Equal(e.GetProperty("recomputed_hash").GetString(), BlockHasher.Compute(block, SharedVectors.PrevHash(e)));
    }

    [Theory]
    [MemberData(nameof(ConstructedCases))]
    public void Constructed_case_is_accepted_or_rejected_as_stated(string id)
    {
        var e = SharedVectors.ById(id);
        var block = SharedVectors.ToBlock(e);
        var verdict = BlockValidator.Validate(block, SharedVectors.PrevHash(e), block.Height, difficulty: 8);
        var expected = e.GetProperty("expected").GetString()!;
        Assert.True(BlockHasher.Matches(block, SharedVectors.PrevHash(e)), "the constructed hash recomputes");
        if (expected.StartsWith("ACCEPT", StringComparison.Ordinal))
        {
            Assert.True(verdict.IsValid, verdict.ToString());
        }
        else
        {
            Assert.StartsWith("REJECT", expected, StringComparison.Ordinal);
            var rule = expected switch
            {
                _ when expected.Contains("11 messages", StringComparison.Ordinal) => BlockRule.TooManyMessages,
                _ when expected.Contains("21-character", StringComparison.Ordinal) => BlockRule.MessageTooLong,
                _ when expected.Contains("0 messages", StringComparison.Ordinal) || expected.Contains("empty", StringComparison.Ordinal) || block.Messages.Count == 0 => BlockRule.NoMessages,
                _ when block.Nonce.Length >= 40 => BlockRule.NonceTooLong,
                _ => throw new InvalidOperationException("no rule known for: " + expected),
            };
            Assert.Equal(rule, verdict.Rule);
        }
    }

    private static BlockRule ExpectedRule(List<string> violations, Block block)
    {
        if (violations.Count == 0)
        {
            return Hex.IsHash(block.Hash) ? BlockRule.HashMismatch : BlockRule.HashMalformed;
        }

        return violations[0] switch
        {
            "message>20chars" => BlockRule.MessageTooLong,
            "messages>10" => BlockRule.TooManyMessages,
            "messages==0" => BlockRule.NoMessages,
            "nonce>=40chars" => BlockRule.NonceTooLong,
            "hash-not-64-hex" => BlockRule.HashMalformed,
            "difficulty<8" => BlockRule.InsufficientWork,
            var other => throw new InvalidOperationException("unknown violation in vectors: " + other),
        };
    }
}
