using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Aviary.Simulation;

/// <summary>
/// SHA-256 over everything that happened, in order: every delivered datagram as (virtual time,
/// source, destination, bytes) and every fault event as a labelled record. Same seed and same code
/// give the same hash; any divergence, however small, changes it.
/// </summary>
public sealed class TraceHash : IDisposable
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] header = new byte[12];
    private string? final;

    /// <summary>Records appended so far.</summary>
    public long Records { get; private set; }

    /// <summary>One delivered datagram.</summary>
    public void Datagram(DateTimeOffset at, string from, string to, ReadOnlySpan<byte> bytes)
    {
        Stamp(at, 'D');
        Text(from);
        Text(to);
        BinaryPrimitives.WriteInt32BigEndian(header, bytes.Length);
        hash.AppendData(header, 0, 4);
        hash.AppendData(bytes);
    }

    /// <summary>A fault or lifecycle event (crash, restart, cut, heal, mined block…).</summary>
    public void Event(DateTimeOffset at, string what)
    {
        Stamp(at, 'E');
        Text(what);
    }

    /// <summary>The lowercase hex digest of everything recorded; the trace is closed after this.</summary>
    public string Finish() => final ??= Convert.ToHexStringLower(hash.GetHashAndReset());

    public void Dispose() => hash.Dispose();

    private void Stamp(DateTimeOffset at, char kind)
    {
        if (final is not null)
        {
            throw new InvalidOperationException("the trace is finished");
        }

        Records++;
        BinaryPrimitives.WriteInt64BigEndian(header, at.UtcTicks);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), kind);
        hash.AppendData(header);
    }

    private void Text(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        BinaryPrimitives.WriteInt32BigEndian(header, bytes.Length);
        hash.AppendData(header, 0, 4);
        hash.AppendData(bytes);
    }
}
