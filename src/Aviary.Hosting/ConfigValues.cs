using System.Globalization;

using Microsoft.Extensions.Configuration;

namespace Aviary.Hosting;

/// <summary>Reading checked values from the merged configuration (file, environment, flags).</summary>
internal static class ConfigValues
{
    /// <summary>
    /// <paramref name="key"/> as a whole number from <paramref name="min"/> to <paramref name="max"/>,
    /// or <paramref name="fallback"/> when unset; false (with <paramref name="error"/> saying why) otherwise.
    /// </summary>
    public static bool TryInt(IConfiguration config, string key, int fallback, int min, int max, out int value, ref string error)
    {
        value = fallback;
        if (config[key] is not { } text)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            return true;
        }

        error = $"{key.ToLowerInvariant()} must be a whole number from {min} to {max}, got \"{text}\"";
        return false;
    }
}
