using Aviary.Chain;

using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Aviary.Mining.Gpu;

/// <summary>
/// Opens the GPU tier, or says in one line why it cannot: no CUDA driver, no device, an index past the
/// devices there are, a kernel that fails to compile, or one that disagrees with the scalar tier in a
/// short self-test. Never throws for any of these.
/// </summary>
public static class GpuDevices
{
    /// <summary>The self-test's template: counters [0, 2^16) at difficulty 3 on the GPU and the scalar tier must agree.</summary>
    private static readonly BlockTemplate SelfTest = BlockTemplate.Genesis("aviary-gpu-self-test", ["gpu equals cpu"], 1_700_000_000);

    /// <summary>The tier on the device <paramref name="options"/> names; null and a one-line <paramref name="error"/> when it cannot be used.</summary>
    public static GpuTier? TryOpen(GpuOptions options, out string error)
    {
        ArgumentNullException.ThrowIfNull(options);
        error = string.Empty;
        if (options.Problem() is { } problem)
        {
            error = problem;
            return null;
        }

        Context? context = null;
        Accelerator? accelerator = null;
        GpuTier? tier = null;
        var step = "starting ILGPU";
        try
        {
            var cuda = options.Accelerator == GpuAccelerator.Cuda;
            context = Context.Create(b =>
            {
                b.Optimize(OptimizationLevel.O2);
                if (cuda)
                {
                    b.Cuda();
                }
                else
                {
                    b.CPU();
                }
            });
            step = "looking for devices";
            var devices = new List<Device>();
            if (cuda)
            {
                foreach (var d in context.GetCudaDevices())
                {
                    devices.Add(d);
                }
            }
            else
            {
                foreach (var d in context.GetCPUDevices())
                {
                    devices.Add(d);
                }
            }

            if (devices.Count == 0)
            {
                error = cuda ? "no CUDA GPU found (no NVIDIA driver, or no device it can use)" : "ILGPU offers no CPU accelerator";
                context.Dispose();
                return null;
            }

            if (options.Device >= devices.Count)
            {
                error = $"there is no {(cuda ? "CUDA" : "CPU accelerator")} device {options.Device}: {devices.Count} found (0 to {devices.Count - 1})";
                context.Dispose();
                return null;
            }

            step = $"opening {devices[options.Device].Name}";
            accelerator = devices[options.Device].CreateAccelerator(context);
            step = "compiling the kernel";
            tier = new GpuTier(context, accelerator, options);
            if (cuda)
            {
                // On a GPU every layout's kernel is compiled now (PTX through the driver is where compiling
                // can fail); the CPU accelerator compiles each one at its first use, as the tests want.
                tier.Precompile();
            }

            step = "self-testing the kernel";
            var layout = NonceLayout.For(SelfTest);
            var gpu = tier.Search(layout, 0, 1UL << 16, 3);
            var cpu = HashTiers.Scalar.Search(layout, 0, 1UL << 16, 3);
            if (gpu?.Nonce != cpu?.Nonce)
            {
                error = $"the GPU kernel on {accelerator.Name} disagrees with the CPU in its self-test (nonce {gpu?.Nonce ?? "none"}, expected {cpu?.Nonce ?? "none"})";
                tier.Dispose();
                return null;
            }

            return tier;
        }
        catch (Exception e)
        {
            error = $"GPU failed while {step}: {FirstLine(e)}";
            if (tier is not null)
            {
                tier.Dispose();
            }
            else
            {
                accelerator?.Dispose();
                context?.Dispose();
            }

            return null;
        }
    }

    private static string FirstLine(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null && inner is TypeInitializationException or AggregateException)
        {
            inner = inner.InnerException;
        }

        var text = inner.Message.Split('\n', 2)[0].Trim();
        return $"{text} ({inner.GetType().Name})";
    }
}
