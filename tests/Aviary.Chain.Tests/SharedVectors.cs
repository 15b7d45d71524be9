using System.Text.Json;

using Aviary.Protocol;

namespace Aviary.Chain.Tests;

/// <summary>Reads <c>../shared/vectors/blocks.json</c> beside the repository (as CI lays it out).</summary>
internal static class SharedVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllBytes(Locate())));

    public static JsonElement Root => Document.Value.RootElement;

    public static string Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable("AVIARY_SHARED");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return Path.Combine(fromEnv, "vectors", "blocks.json");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aviary.slnx")))
            {
                var path = Path.Combine(dir.FullName, "..", "shared", "vectors", "blocks.json");
                return File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException("../shared/vectors/blocks.json is missing beside the repository", path);
            }
        }

        throw new FileNotFoundException("cannot find the repository root (Aviary.slnx) above " + AppContext.BaseDirectory);
    }

    public static IEnumerable<JsonElement> Section(string name) => Root.GetProperty(name).EnumerateArray();

    public static JsonElement ById(string id) =>
        Root.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Array)
            .SelectMany(p => p.Value.EnumerateArray())
            .Single(e => e.TryGetProperty("id", out var i) && i.GetString() == id);

    public static Block ToBlock(JsonElement e) => new(
        e.GetProperty("height").GetInt64(),
        e.GetProperty("minedBy").GetString()!,
        e.GetProperty("nonce").GetString()!,
        [.. e.GetProperty("messages").EnumerateArray().Select(m => m.GetString()!)],
        e.GetProperty("hash").GetString()!,
        e.GetProperty("timestamp").GetInt64());

    public static string? PrevHash(JsonElement e) =>
        e.TryGetProperty("prev_hash", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    public static TheoryData<string> Ids(string section) => [.. Section(section).Select(e => e.GetProperty("id").GetString()!)];
}
