using SharpFuzz;

namespace Aviary.Fuzz;

/// <summary>
/// The fuzzing entry point. With no arguments it runs under AFL++ (SharpFuzz's fork server), feeding
/// each input to <see cref="DatagramTarget"/>; <c>--replay FILE|DIR…</c> runs inputs once each without
/// a fuzzer (to check a corpus or reproduce a crash).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is ["--replay", .. var paths])
        {
            return Replay(paths);
        }

        Fuzzer.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            DatagramTarget.Run(copy.GetBuffer().AsSpan(0, (int)copy.Length));
        });
        return 0;
    }

    private static int Replay(string[] paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p]).Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var node = DatagramTarget.Run(File.ReadAllBytes(file));
            var c = node.Counters;
            Console.WriteLine($"{Path.GetFileName(file)}: {c.DatagramsIn} in, {c.TotalRejections} rejected, {c.DatagramsOut} out, {c.Withheld} withheld, chain {node.Chain.Count} blocks");
        }

        Console.WriteLine($"{files.Count} inputs ran without a failure");
        return 0;
    }
}
