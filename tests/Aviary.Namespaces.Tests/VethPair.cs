using System.Diagnostics;
using System.Globalization;

namespace Aviary.Namespaces.Tests;

/// <summary>
/// Two network namespaces joined by a veth pair, each end with a 10.x address on a /24 of its own
/// and loopback up: two hosts on one link, as a well-known host and a joiner on separate machines.
/// Made with <c>ip</c>, removed on dispose (removing a namespace removes its end of the pair).
/// Nothing in them reaches outside: no route leaves the /24.
/// </summary>
internal sealed class VethPair : IDisposable
{
    private VethPair(string suffix, int subnet)
    {
        A = $"aviary-{suffix}-a";
        B = $"aviary-{suffix}-b";
        AddressA = $"10.77.{subnet.ToString(CultureInfo.InvariantCulture)}.1";
        AddressB = $"10.77.{subnet.ToString(CultureInfo.InvariantCulture)}.2";
    }

    /// <summary>Namespace names.</summary>
    public string A { get; }

    public string B { get; }

    public string AddressA { get; }

    public string AddressB { get; }

    /// <summary>Makes the pair, or null with why it cannot be made here (not Linux, no <c>ip</c>, not root or namespaces not allowed).</summary>
    public static VethPair? TryCreate(out string why)
    {
        why = string.Empty;
        if (!OperatingSystem.IsLinux())
        {
            why = "network namespaces are Linux only";
            return null;
        }

        var suffix = Random.Shared.Next(0x10000, 0xfffff).ToString("x5", CultureInfo.InvariantCulture);
        var pair = new VethPair(suffix, Random.Shared.Next(1, 255));
        var endA = $"av{suffix}a";
        var endB = $"av{suffix}b";
        string[][] steps =
        [
            ["netns", "add", pair.A],
            ["netns", "add", pair.B],
            ["link", "add", endA, "type", "veth", "peer", "name", endB],
            ["link", "set", endA, "netns", pair.A],
            ["link", "set", endB, "netns", pair.B],
            ["-n", pair.A, "addr", "add", $"{pair.AddressA}/24", "dev", endA],
            ["-n", pair.B, "addr", "add", $"{pair.AddressB}/24", "dev", endB],
            ["-n", pair.A, "link", "set", endA, "up"],
            ["-n", pair.B, "link", "set", endB, "up"],
            ["-n", pair.A, "link", "set", "lo", "up"],
            ["-n", pair.B, "link", "set", "lo", "up"],
        ];
        foreach (var step in steps)
        {
            if (Ip(step) is { } failed)
            {
                why = $"ip {string.Join(' ', step)}: {failed}";
                pair.Dispose();
                return null;
            }
        }

        return pair;
    }

    /// <summary>Removes both namespaces; the processes in them must have ended (a namespace lives while one does).</summary>
    public void Dispose()
    {
        Ip(["netns", "delete", A]);
        Ip(["netns", "delete", B]);
    }

    /// <summary>Runs <c>ip</c>; null on success, else what went wrong.</summary>
    private static string? Ip(string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var ip = Process.Start(start)!;
            var errors = ip.StandardError.ReadToEndAsync();
            ip.StandardOutput.ReadToEnd();
            if (!ip.WaitForExit(10_000))
            {
                ip.Kill();
                return "did not finish within 10 s";
            }

            return ip.ExitCode == 0 ? null : $"exit {ip.ExitCode}: {errors.Result.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"cannot run ip (iproute2): {e.Message}";
        }
    }
}
