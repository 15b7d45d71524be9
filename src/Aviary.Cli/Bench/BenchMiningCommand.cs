using System.CommandLine;

using Aviary.Bench;

namespace Aviary.Cli;

/// <summary><c>aviary bench mining</c>: its options; the measurement is <see cref="MiningBenchmark"/> in Aviary.Bench.</summary>
internal static class BenchMiningCommand
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds") { Description = "length of each measurement (each tier, all cores, each anchor)", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "threads for the all-cores figure", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "print the figures as one JSON object" };
        var gpu = new Option<bool>("--gpu") { Description = "measure the GPU tier beside the best CPU tier on all threads (no anchors)" };
        var check = new Option<bool>("--check") { Description = "with --gpu: the kernel correctness check (same first nonce as the CPU at difficulty 5 and 6, and a valid block) instead of the rates" };
        var gpuFlags = new GpuFlags();
        var checkDifficulty = new Option<int>("--check-difficulty") { Description = "with --check: the difficulty of the block mined last", DefaultValueFactory = _ => 8 };
        var command = new Command("mining", "Mining attempts/s per tier, per core and on all cores, with Python and OpenSSL anchors and seconds per block at difficulty 8 and 9.")
        {
            seconds,
            threads,
            json,
            gpu,
            gpuFlags.Device,
            gpuFlags.Accelerator,
            check,
            checkDifficulty,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            if (!parse.GetValue(gpu))
            {
                if (parse.GetValue(check))
                {
                    Console.Error.WriteLine("aviary bench mining: --check needs --gpu");
                    return Task.FromResult(ExitCodes.BadInput);
                }

                return MiningBenchmark.RunAsync(parse.GetValue(seconds), parse.GetValue(threads), parse.GetValue(json), Console.Out, Console.Error, cancellationToken);
            }

            if (!gpuFlags.TryRead(parse, "aviary bench mining", out var options))
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            return GpuBenchmark.RunAsync(options, parse.GetValue(seconds), parse.GetValue(threads), parse.GetValue(json), parse.GetValue(check), parse.GetValue(checkDifficulty), Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }
}
