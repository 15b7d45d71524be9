namespace Aviary.Protocol;

/// <summary>Why a datagram was not accepted as a message. Counted per reason and shown to operators.</summary>
public enum RejectionReason
{
    /// <summary>Zero bytes, or only white space.</summary>
    Empty,

    /// <summary>Over <see cref="WireLimits.MaxInboundDatagram"/>; not parsed at all.</summary>
    TooLarge,

    /// <summary>Not valid UTF-8 JSON.</summary>
    NotJson,

    /// <summary>JSON nested deeper than <see cref="WireLimits.MaxDepth"/>.</summary>
    TooDeep,

    /// <summary>Valid JSON, but not an object (an array, a string, a number…).</summary>
    NotObject,

    /// <summary>An object without a string <c>type</c> field.</summary>
    MissingType,

    /// <summary>A <c>type</c> this protocol does not have.</summary>
    UnknownType,

    /// <summary>A field the message type needs is absent.</summary>
    MissingField,

    /// <summary>A field has the wrong JSON type or an unusable value (a float timestamp, an int nonce…).</summary>
    BadField,

    /// <summary>A string or list is longer than the wire limits allow.</summary>
    TooLong,
}

/// <summary>A rejected datagram: the reason code and a short human-readable detail.</summary>
public sealed record Rejection(RejectionReason Reason, string Detail)
{
    public override string ToString() => $"{Reason}: {Detail}";
}

/// <summary>The outcome of decoding one datagram: exactly one of a message or a rejection.</summary>
public readonly record struct DecodeResult
{
    private DecodeResult(Message? message, Rejection? rejection)
    {
        Message = message;
        Rejection = rejection;
    }

    public Message? Message { get; }

    public Rejection? Rejection { get; }

    public bool IsMessage => Message is not null;

    public static DecodeResult Ok(Message message) => new(message, null);

    public static DecodeResult Reject(RejectionReason reason, string detail) => new(null, new Rejection(reason, detail));

    public override string ToString() => Message?.ToString() ?? Rejection!.ToString();
}
