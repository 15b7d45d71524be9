using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Aviary.Bench;

/// <summary>Runs one of the Python anchor scripts shipped inside this assembly and reads its JSON line.</summary>
internal static class PythonAnchor
{
    public static (JsonElement? Result, string? Error) Run(string script, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var path = Path.Combine(Path.GetTempPath(), $"aviary-{Environment.ProcessId}-{script}");
        using (var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream($"anchors.{script}"))
        {
            if (resource is null)
            {
                return (null, $"anchor script {script} is not embedded in this build");
            }

            using var file = File.Create(path);
            resource.CopyTo(file);
        }

        try
        {
            var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(path);
            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start);
            if (process is null)
            {
                return (null, "python3 did not start");
            }

            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (null, $"python3 {script} ran past {timeout.TotalSeconds:0} s");
            }

            var line = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            return line is null || process.ExitCode != 0
                ? (null, $"python3 {script} failed: {error.Result.Trim()} {line}")
                : (JsonDocument.Parse(line).RootElement.Clone(), null);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "python3 is not installed");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
