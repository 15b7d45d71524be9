namespace Aviary.Protocol;

/// <summary>Builds a typed message from captured fields, tolerating the quirks protocol.md lists.</summary>
internal static class MessageBuilder
{
    public static DecodeResult Build(in WireFields f)
    {
        if (f.Type.Kind != FieldKind.String)
        {
            // One real peer sends its STATS reply without a type (protocol.md §3).
            if (!f.Type.Present && f.Height.Present && f.Hash.Present)
            {
                return DecodeResult.Ok(BuildStatsReply(in f));
            }

            return DecodeResult.Reject(RejectionReason.MissingType, f.Type.Present ? $"type is {f.Type.Describe()}" : "no type field");
        }

        return f.Kind switch
        {
            MessageKind.Gossip => BuildGossip(in f),
            MessageKind.GossipReply => BuildGossipReply(in f),
            MessageKind.Stats => DecodeResult.Ok(Stats.Instance),
            MessageKind.StatsReply => DecodeResult.Ok(BuildStatsReply(in f)),
            MessageKind.GetBlock => BuildGetBlock(in f),
            MessageKind.GetBlockReply => BuildGetBlockReply(in f),
            MessageKind.Announce => BuildAnnounce(in f),
            MessageKind.NewWord => f.Word.Kind == FieldKind.String
                ? DecodeResult.Ok(new NewWord(f.Word.Text!))
                : Bad("word", f.Word),
            MessageKind.Consensus => DecodeResult.Ok(Consensus.Instance),
            _ => DecodeResult.Reject(RejectionReason.UnknownType, $"type \"{Clip(f.Type.Text!)}\""),
        };
    }

    private static DecodeResult BuildGossip(in WireFields f)
    {
        if (!TryEndpoint(in f, out var host, out var port, out var rejection))
        {
            return rejection;
        }

        string id;
        if (f.Id.Kind == FieldKind.String && f.Id.Text!.Length > 0)
        {
            id = f.Id.Text;
        }
        else if (f.Id.Kind == FieldKind.Integer)
        {
            id = f.Id.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            return Bad("id", f.Id);
        }

        return DecodeResult.Ok(new Gossip(host, port, id, NameOrEmpty(in f)));
    }

    private static DecodeResult BuildGossipReply(in WireFields f) =>
        TryEndpoint(in f, out var host, out var port, out var rejection)
            ? DecodeResult.Ok(new GossipReply(host, port, NameOrEmpty(in f)))
            : rejection;

    private static StatsReply BuildStatsReply(in WireFields f)
    {
        // Lenient (§3): ints as strings; null, "None", "null", -1 and junk all mean "no chain".
        long? height = f.Height.TryLenientInteger(out var h) && h >= 0 ? h : null;
        var hash = f.Hash.Kind == FieldKind.String && Hex.IsHash(f.Hash.Text) ? f.Hash.Text : null;
        return height is null && hash is null ? StatsReply.Empty : new StatsReply(height, hash);
    }

    private static DecodeResult BuildGetBlock(in WireFields f)
    {
        if (!f.Height.Present)
        {
            return Missing("height");
        }

        // A height that is not an integer is still a request: it gets the all-null reply.
        return DecodeResult.Ok(new GetBlock(f.Height.TryLenientInteger(out var h) ? h : null));
    }

    private static DecodeResult BuildGetBlockReply(in WireFields f)
    {
        // The "no such block" forms (§4): nulls, "None"/"null" strings, or keys missing.
        if (!f.Height.TryLenientInteger(out _) || f.Hash.Kind != FieldKind.String || !Hex.IsHash(f.Hash.Text))
        {
            return f.Height.Kind is FieldKind.Integer && f.Hash.Kind is FieldKind.String
                ? DecodeResult.Reject(RejectionReason.BadField, "hash is not 64 lowercase hex characters")
                : DecodeResult.Ok(GetBlockReply.Missing);
        }

        return TryBlock(in f, out var block, out var rejection) ? DecodeResult.Ok(new GetBlockReply(block)) : rejection;
    }

    private static DecodeResult BuildAnnounce(in WireFields f) =>
        TryBlock(in f, out var block, out var rejection) ? DecodeResult.Ok(new Announce(block)) : rejection;

    internal static bool TryBlock(in WireFields f, out Block block, out DecodeResult rejection)
    {
        block = null!;
        rejection = default;
        if (!f.Height.TryLenientInteger(out var height))
        {
            rejection = Bad("height", f.Height);
            return false;
        }

        if (f.MinedBy.Kind != FieldKind.String)
        {
            rejection = Bad("minedBy", f.MinedBy);
            return false;
        }

        if (f.Nonce.Kind != FieldKind.String)
        {
            rejection = f.Nonce.Kind == FieldKind.Integer
                ? DecodeResult.Reject(RejectionReason.BadField, "nonce is an integer, not a string")
                : Bad("nonce", f.Nonce);
            return false;
        }

        if (f.Messages is null || f.MessagesProblem is not null)
        {
            rejection = f.MessagesProblem is not null
                ? DecodeResult.Reject(RejectionReason.BadField, f.MessagesProblem)
                : Bad("messages", f.MessagesField);
            return false;
        }

        if (f.Hash.Kind != FieldKind.String || !Hex.IsHash(f.Hash.Text))
        {
            rejection = f.Hash.Kind == FieldKind.String
                ? DecodeResult.Reject(RejectionReason.BadField, "hash is not 64 lowercase hex characters")
                : Bad("hash", f.Hash);
            return false;
        }

        if (f.Timestamp.Kind != FieldKind.Integer || f.Timestamp.Integer < 0)
        {
            rejection = f.Timestamp.Kind switch
            {
                FieldKind.OtherNumber => DecodeResult.Reject(RejectionReason.BadField, "timestamp is not an integer (a float?)"),
                FieldKind.Integer => DecodeResult.Reject(RejectionReason.BadField, "timestamp is negative"),
                _ => Bad("timestamp", f.Timestamp),
            };
            return false;
        }

        block = new Block(height, f.MinedBy.Text!, f.Nonce.Text!, f.Messages.ToArray(), f.Hash.Text!, f.Timestamp.Integer);
        return true;
    }

    private static bool TryEndpoint(in WireFields f, out string host, out int port, out DecodeResult rejection)
    {
        host = string.Empty;
        port = 0;
        rejection = default;
        if (f.Host.Kind != FieldKind.String || f.Host.Text!.Length is 0 or > 253)
        {
            rejection = f.Host.Kind == FieldKind.String ? DecodeResult.Reject(RejectionReason.BadField, "host is empty or longer than 253 characters") : Bad("host", f.Host);
            return false;
        }

        if (!IsHostText(f.Host.Text))
        {
            rejection = DecodeResult.Reject(RejectionReason.BadField, "host is not an IP address or host name (letters, digits and . - : _ % [ ] only)");
            return false;
        }

        if (!f.Port.TryLenientInteger(out var p) || p is < 1 or > WireLimits.MaxPort)
        {
            rejection = f.Port.Present && f.Port.Kind != FieldKind.Null
                ? DecodeResult.Reject(RejectionReason.BadField, "port is not an integer from 1 to 65535")
                : Missing("port");
            return false;
        }

        host = f.Host.Text;
        port = (int)p;
        return true;
    }

    /// <summary>
    /// The characters of an IPv4/IPv6 address (with zone and brackets) or a DNS name: anything else
    /// (spaces, control characters, quotes) names no host we could send to.
    /// </summary>
    private static bool IsHostText(string host)
    {
        foreach (var c in host)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '_' or '%' or '[' or ']'))
            {
                return false;
            }
        }

        return true;
    }

    private static string NameOrEmpty(in WireFields f) => f.Name.Kind == FieldKind.String ? f.Name.Text! : string.Empty;

    private static DecodeResult Missing(string field) =>
        DecodeResult.Reject(RejectionReason.MissingField, $"no {field} field");

    private static DecodeResult Bad(string field, JsonField value) =>
        value.Present
            ? DecodeResult.Reject(RejectionReason.BadField, $"{field} is {value.Describe()}")
            : Missing(field);

    private static string Clip(string s) => s.Length <= 32 ? s : s[..32] + "…";
}
