using CsCheck;

namespace Aviary.Protocol.Tests.Properties;

/// <summary>
/// Runs a CsCheck generator a fixed number of times from a fixed seed, so every run checks the
/// same inputs (CsCheck's own <c>Sample</c> seeds only its first iteration).
/// </summary>
internal static class Property
{
    public static void ForAll<T>(Gen<T> gen, int iterations, ulong seed, Action<T> assert, Func<T, string>? print = null)
    {
        var pcg = new PCG(1, seed);
        for (var i = 0; i < iterations; i++)
        {
            var value = gen.Generate(pcg, null, out _);
            try
            {
                assert(value);
            }
            catch (Exception e)
            {
                throw new PropertyFailedException($"seed {seed}, iteration {i}: {(print is null ? value?.ToString() : print(value))}", e);
            }
        }
    }
}

/// <summary>A property failed: the message names the seed, the iteration and the input.</summary>
public sealed class PropertyFailedException(string message, Exception inner) : Exception(message, inner);
