using System.Globalization;

using Aviary.Node.Limits;

using Microsoft.Extensions.Configuration;

namespace Aviary.Hosting;

/// <summary>
/// The response rate limits for unproven addresses, from the configuration section
/// <c>ResponseLimits</c> (in <c>aviary.json</c>, or <c>AVIARY_ResponseLimits__AddressBytes=8192</c>):
/// <c>AddressReplies</c>, <c>AddressBytes</c>, <c>PrefixReplies</c>, <c>PrefixBytes</c>,
/// <c>GlobalReplies</c>, <c>GlobalBytes</c>, each per second. A budget's burst keeps the default's
/// ratio to its rate. Unset keys keep the defaults of <see cref="ResponseLimits"/>.
/// </summary>
public static class ResponseLimitSettings
{
    private static readonly string[] Keys = ["AddressReplies", "AddressBytes", "PrefixReplies", "PrefixBytes", "GlobalReplies", "GlobalBytes"];

    public static bool TryRead(IConfiguration config, out ResponseLimits limits, out string error)
    {
        var defaults = new ResponseLimits();
        limits = defaults;
        error = string.Empty;
        var section = config.GetSection("ResponseLimits");
        foreach (var unknown in section.GetChildren().Select(c => c.Key).Where(k => !Keys.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            error = $"unknown key ResponseLimits:{unknown}; known: {string.Join(", ", Keys)}";
            return false;
        }

        if (!TryBudget(section, "AddressReplies", defaults.AddressReplies, out var addressReplies, ref error)
            || !TryBudget(section, "AddressBytes", defaults.AddressBytes, out var addressBytes, ref error)
            || !TryBudget(section, "PrefixReplies", defaults.PrefixReplies, out var prefixReplies, ref error)
            || !TryBudget(section, "PrefixBytes", defaults.PrefixBytes, out var prefixBytes, ref error)
            || !TryBudget(section, "GlobalReplies", defaults.GlobalReplies, out var globalReplies, ref error)
            || !TryBudget(section, "GlobalBytes", defaults.GlobalBytes, out var globalBytes, ref error))
        {
            return false;
        }

        limits = new ResponseLimits
        {
            AddressReplies = addressReplies,
            AddressBytes = addressBytes,
            PrefixReplies = prefixReplies,
            PrefixBytes = prefixBytes,
            GlobalReplies = globalReplies,
            GlobalBytes = globalBytes,
        };
        return true;
    }

    private static bool TryBudget(IConfigurationSection section, string key, Budget fallback, out Budget budget, ref string error)
    {
        budget = fallback;
        if (section[key] is not { } text)
        {
            return true;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || !(rate >= 1) || rate > 1e9)
        {
            error = $"ResponseLimits:{key} must be a number per second from 1 to 1000000000, got \"{text}\"";
            return false;
        }

        budget = new Budget(rate, rate * fallback.Burst / fallback.PerSecond);
        return true;
    }
}
