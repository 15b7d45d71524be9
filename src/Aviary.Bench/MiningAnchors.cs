using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

using Aviary.Chain;

namespace Aviary.Bench;

/// <summary>
/// The anchors for the mining benchmark, each run for the same time on one core: the course-style
/// Python miner (bench/anchors/python_miner.py, embedded in this assembly and fed to <c>python3 -</c>)
/// and <c>openssl speed -evp sha256 -bytes 64</c>. A missing tool gives a figure of null and a reason.
/// </summary>
internal static partial class MiningAnchors
{
    private const string PythonScript = "Aviary.Cli.python_miner.py";

    public static async Task<AnchorRate> PythonAsync(BlockTemplate template, TimeSpan duration, CancellationToken cancellationToken)
    {
        const string AnchorName = "python3 hashlib, new sha256 per attempt (bench/anchors/python_miner.py)";
        string script;
        await using (var resource = typeof(MiningAnchors).Assembly.GetManifestResourceStream(PythonScript)
            ?? throw new InvalidOperationException($"resource {PythonScript} is missing from the build"))
        using (var reader = new StreamReader(resource))
        {
            script = await reader.ReadToEndAsync(cancellationToken);
        }

        List<string> arguments =
        [
            "-", "--seconds", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--prev", template.PreviousHash ?? "", "--mined-by", template.MinedBy,
            "--timestamp", template.Timestamp.ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var message in template.Messages)
        {
            arguments.AddRange(["--message", message]);
        }

        var run = await RunAsync("python3", arguments, script, duration, cancellationToken);
        if (run.Problem is not null)
        {
            return new(AnchorName, null, run.Problem);
        }

        try
        {
            using var result = JsonDocument.Parse(run.Output);
            var attempts = result.RootElement.GetProperty("attempts").GetDouble();
            var seconds = result.RootElement.GetProperty("seconds").GetDouble();
            var cpu = result.RootElement.GetProperty("cpu_seconds").GetDouble();
            return new(AnchorName, new(attempts, seconds, cpu), $"{attempts:0} attempts in {seconds:0.00} s, {cpu:0.00} s of CPU");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new(AnchorName, null, $"unreadable output from python3: {run.Output.Trim()}");
        }
    }

    public static async Task<AnchorRate> OpenSslAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        const string AnchorName = "openssl speed -evp sha256 -bytes 64 (hashes/s)";
        var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds));
        var run = await RunAsync("openssl", ["speed", "-evp", "sha256", "-bytes", "64", "-seconds", seconds.ToString(CultureInfo.InvariantCulture)], null, duration, cancellationToken);
        if (run.Problem is not null)
        {
            return new(AnchorName, null, run.Problem);
        }

        // "Doing sha256 for 3s on 64 size blocks: 13190000 sha256's in 2.99s" (on stderr): the run's
        // wall-clock length, the count, and the CPU time it took.
        var match = OpenSslLine().Match(run.Output + run.Errors);
        if (!match.Success)
        {
            return new(AnchorName, null, "no \"Doing sha256 … on 64 size blocks\" line in openssl's output");
        }

        var wall = double.Parse(match.Groups["wall"].Value, CultureInfo.InvariantCulture);
        var count = double.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture);
        var cpu = double.Parse(match.Groups["cpu"].Value, CultureInfo.InvariantCulture);
        return new(AnchorName, new(count, wall, cpu), $"{count:0} hashes in {wall:0} s, {cpu:0.00} s of CPU");
    }

    private static async Task<ProcessRun> RunAsync(string program, IReadOnlyList<string> arguments, string? input, TimeSpan duration, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"{program} did not start");
        }
        catch (Win32Exception)
        {
            return new("", "", $"{program} not found: anchor skipped");
        }

        using (process)
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
                process.StandardInput.Close();
            }

            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(duration + TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return new("", "", $"{program} did not finish: anchor skipped");
            }

            return process.ExitCode == 0
                ? new(await output, await errors, null)
                : new(await output, await errors, $"{program} exited with {process.ExitCode}: {(await errors).Trim()}");
        }
    }

    [GeneratedRegex(@"Doing sha256.*? for (?<wall>\d+)s on 64 size blocks: (?<count>\d+) .*? in (?<cpu>[\d.]+)s")]
    private static partial Regex OpenSslLine();

    private sealed record ProcessRun(string Output, string Errors, string? Problem);
}
