using Aviary.Node;
using Aviary.Protocol;

namespace Aviary.Testing;

/// <summary>Every datagram the core sent, decoded.</summary>
public sealed class RecordingTransport : ITransport
{
    public List<(PeerAddress To, byte[] Bytes, Message Message)> Sent { get; } = [];

    public void Send(PeerAddress to, ReadOnlySpan<byte> datagram)
    {
        var bytes = datagram.ToArray();
        Sent.Add((to, bytes, MessageDecoder.Decode(bytes).Message!));
    }

    public List<(PeerAddress To, T Message)> Of<T>()
        where T : Message => [.. Sent.Where(s => s.Message is T).Select(s => (s.To, (T)s.Message))];

    public void Clear() => Sent.Clear();
}
