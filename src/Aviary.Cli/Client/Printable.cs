using System.Globalization;
using System.Text;

using Aviary.Protocol;

namespace Aviary.Cli;

/// <summary>Human-readable forms of replies. Peer-supplied text is escaped so it cannot drive the terminal.</summary>
internal static class Printable
{
    /// <summary>Control characters (and the escape character, quotes, backslashes) as JSON-style escapes.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\\' => builder.Append(@"\\"),
                '"' => builder.Append("\\\""),
                _ when char.IsControl(c) => builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    /// <summary>Quoted and escaped, so empty strings and trailing spaces show.</summary>
    public static string Quote(string text) => $"\"{Escape(text)}\"";

    public static void StatsReply(StatsReply reply, TextWriter output)
    {
        if (reply.ClaimsChain)
        {
            output.WriteLine($"height {reply.Height}, top hash {reply.Hash}");
            return;
        }

        var height = reply.Height?.ToString(CultureInfo.InvariantCulture) ?? "none";
        output.WriteLine($"no chain (height {height}, hash {reply.Hash ?? "none"})");
    }

    public static void Block(Block block, TextWriter output)
    {
        var time = block.Timestamp <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? $" ({DateTimeOffset.FromUnixTimeSeconds(block.Timestamp):yyyy-MM-dd HH:mm:ss} UTC)"
            : string.Empty;
        output.WriteLine($"block {block.Height}");
        output.WriteLine($"  hash       {block.Hash}");
        output.WriteLine($"  minedBy    {Quote(block.MinedBy)}");
        output.WriteLine($"  nonce      {Quote(block.Nonce)}");
        output.WriteLine($"  timestamp  {block.Timestamp}{time}");
        output.WriteLine($"  messages   {block.Messages.Count}");
        foreach (var message in block.Messages)
        {
            output.WriteLine($"    {Quote(message)}");
        }
    }
}
