using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Aviary.Mining.Gpu.Tests;

/// <summary>The PTX that ILGPU makes of the kernel for an H100 (sm_90), compiled without a GPU.</summary>
public sealed class PtxTests
{
    [Fact]
    public void The_kernel_for_the_usual_layout_keeps_its_schedule_in_registers()
    {
        using var context = Context.Create(b => b.Optimize(OptimizationLevel.O2));
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null);
        var entry = EntryPointDescription.FromImplicitlyGroupedKernel(typeof(PtxTests).GetMethod(nameof(UsualLayout), System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!);

        var ptx = ((PTXCompiledKernel)backend.Compile(entry, KernelSpecialization.Empty)).PTXAssembly;

        // Local memory (an array the compiler could not keep in registers) would cost a memory access per
        // schedule word; the generated body names each word, so none is left.
        Assert.DoesNotContain(".local", ptx, StringComparison.Ordinal);
        Assert.Contains(".target sm_", ptx, StringComparison.Ordinal);
        Assert.Contains("red.min.global.u64", ptx, StringComparison.Ordinal);
    }

    /// <summary>The kernel as specialized for a nonce ending at byte 55 of the last block (fast word 13, 3 digits; the mask is FastWord13.Varying).</summary>
    private static void UsualLayout(Index1D index, ArrayView<uint> job, ArrayView<ulong> result, KernelArgs args) =>
        Sha256Kernel.Search(index, job, result, args, new SpecializedValue<int>(55), new SpecializedValue<ulong>(0xfffffffffd502000));
}
