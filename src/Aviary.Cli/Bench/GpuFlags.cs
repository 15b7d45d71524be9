using System.CommandLine;

using Aviary.Mining.Gpu;

namespace Aviary.Cli;

/// <summary><c>--gpu-device</c> and <c>--gpu-accelerator</c>, made once per command that takes them.</summary>
internal sealed class GpuFlags
{
    public Option<int> Device { get; } = new("--gpu-device") { Description = "which CUDA GPU (default 0)", DefaultValueFactory = _ => 0 };

    public Option<string> Accelerator { get; } = new("--gpu-accelerator") { Description = "cuda (default), or cpu: run the GPU kernel on ILGPU's CPU accelerator, to test the path without a GPU (slow; not GPU figures)", DefaultValueFactory = _ => "cuda" };

    /// <summary>The options these flags spell, or false after one line on stderr.</summary>
    public bool TryRead(ParseResult parse, string command, out GpuOptions options)
    {
        options = new GpuOptions();
        if (!GpuOptions.TryParseAccelerator(parse.GetValue(Accelerator)!, out var accelerator))
        {
            Console.Error.WriteLine($"{command}: --gpu-accelerator must be cuda or cpu, got \"{parse.GetValue(Accelerator)}\"");
            return false;
        }

        options = new GpuOptions { Accelerator = accelerator, Device = parse.GetValue(Device) };
        if (options.Problem() is { } problem)
        {
            Console.Error.WriteLine($"{command}: --gpu-device: {problem}");
            return false;
        }

        return true;
    }
}
