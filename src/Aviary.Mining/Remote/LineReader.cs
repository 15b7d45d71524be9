namespace Aviary.Mining.Remote;

/// <summary>What <see cref="LineReader.ReadAsync"/> got: a line, the end of the stream, or a line over the cap.</summary>
public enum LineStatus
{
    /// <summary>A complete line (its newline removed, and a trailing <c>\r</c> too).</summary>
    Line,

    /// <summary>The peer closed the stream (a partial last line is discarded).</summary>
    End,

    /// <summary>More than the cap arrived without a newline; the stream is no longer usable.</summary>
    TooLong,
}

/// <summary>
/// Reads <c>\n</c>-terminated lines from a stream into one fixed buffer: memory per connection is the
/// cap, whatever the peer sends. A returned line is valid until the next read.
/// </summary>
public sealed class LineReader(Stream stream, int maxLine)
{
    private readonly byte[] buffer = new byte[maxLine + 1];
    private int start;
    private int end;

    /// <summary>The next line, or the reason there is none.</summary>
    public async ValueTask<(LineStatus Status, ReadOnlyMemory<byte> Line)> ReadAsync(CancellationToken cancellationToken)
    {
        var scanned = start;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', scanned, end - scanned);
            if (newline >= 0)
            {
                var lineEnd = newline > start && buffer[newline - 1] == '\r' ? newline - 1 : newline;
                var line = buffer.AsMemory(start, lineEnd - start);
                start = newline + 1;
                return (LineStatus.Line, line);
            }

            if (end - start > maxLine)
            {
                return (LineStatus.TooLong, default);
            }

            if (start > 0)
            {
                // Move the partial line to the front so the next read has room for the rest of it.
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            scanned = end;
            var n = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return (LineStatus.End, default);
            }

            end += n;
        }
    }
}
