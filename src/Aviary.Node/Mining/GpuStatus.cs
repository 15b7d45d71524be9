namespace Aviary.Node.Mining;

/// <summary>One GPU mining for this node, as <see cref="MinerStatus"/> reports it beside the CPU threads' rate.</summary>
/// <param name="Device">The device's name as its driver gives it (marked when it is ILGPU's CPU accelerator).</param>
/// <param name="AttemptsPerSecond">Its rate, averaged like the CPU threads' rate.</param>
public sealed record GpuStatus(string Device, double AttemptsPerSecond);
