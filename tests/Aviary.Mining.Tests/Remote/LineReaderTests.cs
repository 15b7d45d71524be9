using System.IO.Pipelines;
using System.Text;

using Aviary.Mining.Remote;

namespace Aviary.Mining.Tests.Remote;

/// <summary>Bounded line reading: lines split across reads, CRLF, the cap and the end of the stream.</summary>
public sealed class LineReaderTests
{
    [Fact]
    public async Task Lines_split_across_reads_come_out_whole()
    {
        var pipe = new Pipe();
        var reader = new LineReader(pipe.Reader.AsStream(), 16);
        var token = TestContext.Current.CancellationToken;
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("hel"), token);
        var pending = reader.ReadAsync(token);
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("lo\r\nwor"), token);
        Assert.Equal((LineStatus.Line, "hello"), Text(await pending));
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("ld\n\nlast"), token);
        Assert.Equal((LineStatus.Line, "world"), Text(await reader.ReadAsync(token)));
        Assert.Equal((LineStatus.Line, ""), Text(await reader.ReadAsync(token)));
        await pipe.Writer.CompleteAsync();
        Assert.Equal(LineStatus.End, (await reader.ReadAsync(token)).Status);
    }

    [Fact]
    public async Task A_line_at_the_cap_is_read_and_one_byte_more_is_too_long()
    {
        var token = TestContext.Current.CancellationToken;
        var atCap = new LineReader(new MemoryStream(Encoding.ASCII.GetBytes(new string('a', 16) + "\n")), 16);
        Assert.Equal((LineStatus.Line, new string('a', 16)), Text(await atCap.ReadAsync(token)));

        var over = new LineReader(new MemoryStream(Encoding.ASCII.GetBytes("ok\n" + new string('b', 17) + "\n")), 16);
        Assert.Equal((LineStatus.Line, "ok"), Text(await over.ReadAsync(token)));
        Assert.Equal(LineStatus.TooLong, (await over.ReadAsync(token)).Status);
    }

    [Fact]
    public async Task An_endless_line_stops_at_the_cap_without_reading_on()
    {
        var endless = new CountingStream();
        var reader = new LineReader(endless, 1024);
        Assert.Equal(LineStatus.TooLong, (await reader.ReadAsync(TestContext.Current.CancellationToken)).Status);
        Assert.InRange(endless.Served, 1025, 1025);
    }

    private static (LineStatus, string) Text((LineStatus Status, ReadOnlyMemory<byte> Line) read) => (read.Status, Encoding.ASCII.GetString(read.Line.Span));

    /// <summary>An endless stream of 'x' that counts the bytes it served.</summary>
    private sealed class CountingStream : Stream
    {
        public long Served { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            buffer.AsSpan(offset, count).Fill((byte)'x');
            Served += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
