using Aviary.Bench;
using Aviary.Hosting;
using Aviary.Mining.Gpu;

namespace Aviary.Cli.Tests;

/// <summary><c>--gpu</c>, <c>--gpu-device</c>, <c>--gpu-accelerator</c> as settings, and the benchmark without a GPU.</summary>
public sealed class GpuSettingTests
{
    private static (bool Ok, NodeSettings Settings, string Error) Load(params (string Key, string Value)[] keys)
    {
        var flags = keys.ToDictionary(k => k.Key, k => (string?)k.Value);
        var ok = NodeSettings.TryLoad(null, flags, [], out var settings, out var error);
        return (ok, settings, error);
    }

    [Fact]
    public void A_gpu_may_be_the_only_miner()
    {
        var (ok, settings, error) = Load(("Mine", "true"), ("Threads", "0"), ("Gpu", "true"), ("GpuDevice", "1"), ("GpuAccelerator", "cpu"));

        Assert.True(ok, error);
        Assert.True(settings.Mining.Gpu);
        Assert.Equal(new GpuOptions { Device = 1, Accelerator = GpuAccelerator.Cpu }, settings.Mining.GpuOptions);
    }

    [Fact]
    public void No_threads_no_workers_and_no_gpu_is_refused()
    {
        var (ok, _, error) = Load(("Mine", "true"), ("Threads", "0"));

        Assert.False(ok);
        Assert.Contains("needs --miner-port or --gpu", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_accelerator_is_refused()
    {
        var (ok, _, error) = Load(("Mine", "true"), ("Gpu", "true"), ("GpuAccelerator", "opencl"));

        Assert.False(ok);
        Assert.Equal("--gpu-accelerator must be cuda or cpu, got \"opencl\"", error);
    }

    [Fact]
    public async Task The_benchmark_without_a_usable_gpu_says_so_in_one_line_and_exits_2()
    {
        var options = new GpuOptions { Accelerator = GpuAccelerator.Cpu, Device = 99 };

        var outcome = await Run.CommandAsync((o, e, ct) => GpuBenchmark.RunAsync(options, 1, 1, json: true, check: false, 8, o, e, ct));

        Assert.Equal(ExitCodes.BadInput, outcome.ExitCode);
        Assert.Empty(outcome.Output);
        Assert.StartsWith("aviary bench mining: no GPU to measure: there is no CPU accelerator device 99: ", outcome.Error, StringComparison.Ordinal);
        Assert.Single(outcome.Error.TrimEnd().Split('\n'));
    }
}
