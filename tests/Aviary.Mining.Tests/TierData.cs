namespace Aviary.Mining.Tests;

/// <summary>Tier names for theories, and the skip for tiers this machine cannot run.</summary>
public static class TierData
{
    public static TheoryData<string> Names => new(HashTiers.All.Select(t => t.Name));

    public static IHashTier Supported(string name)
    {
        var tier = HashTiers.Find(name) ?? throw new ArgumentException($"no tier {name}", nameof(name));
        Assert.SkipUnless(tier.IsSupported, $"this machine lacks {tier.Requirement}, which the {tier.Name} tier needs");
        return tier;
    }
}
