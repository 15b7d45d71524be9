using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;

using Microsoft.AspNetCore.Http;

namespace Aviary.Web;

/// <summary>The page, its script and style sheet, and the chart library (uPlot, with its license), embedded in this assembly (no CDN, works offline).</summary>
internal static class StaticAssets
{
    private static readonly Dictionary<string, (byte[] Body, string ContentType)> Files = Load();

    /// <summary>Asset names as requested (e.g. "app.js"), with their content types.</summary>
    public static IEnumerable<string> Names => Files.Keys;

    public static IResult Serve(string name, HttpContext context)
    {
        if (!Files.TryGetValue(name, out var file))
        {
            return Results.NotFound();
        }

        context.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(file.Body, file.ContentType);
    }

    /// <summary>Where the page's initial state goes.</summary>
    public const string StatePlaceholder = "<!--initial-state-->";

    /// <summary>
    /// JSON safe inside HTML: the default encoder writes &lt;, &gt;, &amp; and quotes as \u escapes, so no
    /// peer-supplied string can close the data block or open a tag.
    /// </summary>
    private static readonly JsonSerializerOptions HtmlSafeJson = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Default };

    /// <summary>The page with <paramref name="state"/> as a JSON data block (not script: it is never executed).</summary>
    public static string PageWithState<T>(T state)
    {
        var json = JsonSerializer.Serialize(state, HtmlSafeJson);
        return Text("index.html").Replace(StatePlaceholder, $"<script id=\"initial-state\" type=\"application/json\">{json}</script>", StringComparison.Ordinal);
    }

    /// <summary>The text of an embedded asset (tests check what the page is built from).</summary>
    public static string Text(string name) => System.Text.Encoding.UTF8.GetString(Files[name].Body);

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource["wwwroot/".Length..];
            files[name] = (copy.ToArray(), ContentTypeOf(name));
        }

        return files;
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
}
