using System.Globalization;
using System.Text.Json;

namespace Aviary.Bench;

/// <summary>
/// Attempts made over a wall-clock span, and the CPU time they took. On a shared machine the rate per
/// CPU-second is the per-core figure; the wall-clock rate is what this run actually got.
/// </summary>
internal readonly record struct Rate(double Attempts, double WallSeconds, double CpuSeconds)
{
    public double PerWallSecond => Attempts / WallSeconds;

    public double PerCpuSecond => Attempts / CpuSeconds;
}

/// <summary>One tier's single-thread rate, or why it was not measured.</summary>
internal sealed record TierRate(string Name, int Lanes, Rate? Measured, string? Skipped);

/// <summary>The miner on all threads.</summary>
internal sealed record AllCoresRate(string Tier, int Threads, Rate Measured)
{
    /// <summary>What all threads would do with a core each: the per-CPU-second rate times the threads.</summary>
    public double WithCoresFree => Measured.PerCpuSecond * Threads;
}

/// <summary>An anchor's rate (null when the tool is missing or failed) and how it was obtained.</summary>
internal sealed record AnchorRate(string Name, Rate? Measured, string Detail);

/// <summary>The figures of <c>aviary bench mining</c> and their two renderings.</summary>
internal sealed record MiningBenchReport(
    double Seconds, int NonceLength, int FastWord, IReadOnlyList<TierRate> Tiers, AllCoresRate AllCores, AnchorRate Python, AnchorRate OpenSsl)
{
    /// <summary>The fastest tier measured on one thread.</summary>
    public TierRate Best => Tiers.Where(t => t.Measured is not null).MaxBy(t => t.Measured!.Value.PerCpuSecond)!;

    /// <summary>Expected seconds to find a block at <paramref name="difficulty"/> at <paramref name="rate"/> attempts/s: 16^D / rate.</summary>
    public static double SecondsPerBlock(int difficulty, double rate) => Math.Pow(16, difficulty) / rate;

    /// <summary>How many times faster per core the best tier is than <paramref name="anchor"/>, or null without the anchor.</summary>
    public double? RatioTo(AnchorRate anchor) => anchor.Measured is { } a ? Best.Measured!.Value.PerCpuSecond / a.PerCpuSecond : null;

    public static void WriteText(MiningBenchReport r, TextWriter o)
    {
        var best = r.Best;
        o.WriteLine($"aviary bench mining: {r.Seconds:0.#} s per measurement; template nonce {r.NonceLength} characters, counter digits ending in word {r.FastWord} of the last block");
        o.WriteLine("per core = attempts per CPU-second (robust on a shared machine); wall = attempts per second this run got");
        o.WriteLine();
        o.WriteLine($"{"tier",-10} {"lanes",5}  {"per core",10}  {"wall",10}");
        foreach (var t in r.Tiers)
        {
            o.WriteLine(t.Measured is { } m
                ? $"{t.Name,-10} {t.Lanes,5}  {Millions(m.PerCpuSecond),10}  {Millions(m.PerWallSecond),10}"
                : $"{t.Name,-10} {t.Lanes,5}  skipped: {t.Skipped}");
        }

        var all = r.AllCores;
        o.WriteLine($"{"all cores",-10} {"",5}  {Millions(all.Measured.PerCpuSecond),10}  {Millions(all.Measured.PerWallSecond),10}  ({all.Tier} on {all.Threads} threads; {Millions(all.WithCoresFree)}/s with the cores free)");
        o.WriteLine();
        o.WriteLine("anchors, one core each, run just now (per core, then the best tier's ratio to it):");
        WriteAnchor(o, r.Python, best, r.RatioTo(r.Python));
        WriteAnchor(o, r.OpenSsl, best, r.RatioTo(r.OpenSsl));
        o.WriteLine();
        o.WriteLine("expected time per block on all cores (16^D / rate), at this run's wall rate and with the cores free:");
        foreach (var d in new[] { 8, 9 })
        {
            var python = r.Python.Measured is { } p ? $"; Python anchor, one core: {Duration(SecondsPerBlock(d, p.PerCpuSecond))}" : "";
            o.WriteLine($"  difficulty {d}: {Duration(SecondsPerBlock(d, all.Measured.PerWallSecond))} / {Duration(SecondsPerBlock(d, all.WithCoresFree))}{python}");
        }
    }

    public static void WriteJson(MiningBenchReport r, TextWriter o)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("seconds", r.Seconds);
            w.WriteNumber("nonceLength", r.NonceLength);
            w.WriteNumber("fastWord", r.FastWord);
            w.WriteStartArray("tiers");
            foreach (var t in r.Tiers)
            {
                w.WriteStartObject();
                w.WriteString("name", t.Name);
                w.WriteNumber("lanes", t.Lanes);
                WriteRate(w, t.Measured);
                w.WriteString("skipped", t.Skipped);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartObject("allCores");
            w.WriteString("tier", r.AllCores.Tier);
            w.WriteNumber("threads", r.AllCores.Threads);
            WriteRate(w, r.AllCores.Measured);
            w.WriteNumber("withCoresFree", Math.Round(r.AllCores.WithCoresFree));
            w.WriteEndObject();
            w.WriteStartObject("anchors");
            foreach (var (key, anchor) in new[] { ("python", r.Python), ("openssl", r.OpenSsl) })
            {
                w.WriteStartObject(key);
                w.WriteString("name", anchor.Name);
                WriteRate(w, anchor.Measured);
                w.WriteString("detail", anchor.Detail);
                WriteNumber(w, "bestPerCoreRatio", r.RatioTo(anchor));
                w.WriteEndObject();
            }

            w.WriteEndObject();
            foreach (var (key, rate) in new[] { ("secondsPerBlockAllCoresWall", r.AllCores.Measured.PerWallSecond), ("secondsPerBlockAllCoresFree", r.AllCores.WithCoresFree) })
            {
                w.WriteStartObject(key);
                w.WriteNumber("8", Math.Round(SecondsPerBlock(8, rate), 1));
                w.WriteNumber("9", Math.Round(SecondsPerBlock(9, rate), 1));
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        o.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteAnchor(TextWriter o, AnchorRate anchor, TierRate best, double? ratio)
    {
        o.WriteLine(anchor.Measured is { } m
            ? $"  {anchor.Name}: {Millions(m.PerCpuSecond)}/s [{anchor.Detail}]; {best.Name} = {ratio:0.0}×"
            : $"  {anchor.Name}: {anchor.Detail}");
    }

    private static void WriteRate(Utf8JsonWriter w, Rate? rate)
    {
        WriteNumber(w, "perCore", rate?.PerCpuSecond);
        WriteNumber(w, "perWallSecond", rate?.PerWallSecond);
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, Math.Round(v, 2));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    internal static string Millions(double perSecond) => string.Create(CultureInfo.InvariantCulture, $"{perSecond / 1e6:0.00} M");

    internal static string Duration(double seconds) => seconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.0} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.0} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.0} h"),
    };
}
