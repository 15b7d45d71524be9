using System.Text;

using Aviary.Chain;
using Aviary.Protocol;

using BenchmarkDotNet.Attributes;

namespace Aviary.Benchmarks;

/// <summary>The per-block costs of sync: decode a GET_BLOCK_REPLY, encode one, hash + validate a block.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    // A real Fall 2023 block (f23b-1) as the professor's peer sends it.
    private const string PreviousHash = "da32c5e6d1478caad5c39eea5f05855daed3bda5980da4633aa1e5c000000000";

    private static readonly byte[] Reply = Encoding.UTF8.GetBytes(
        """{"type": "GET_BLOCK_REPLY", "height": 1, "minedBy": "Prof!", "nonce": "2251755442", "messages": ["wiz's", "shrouded", "regenerates", "reconnaissance's", "penitence"], "hash": "5b0cc813303f305927dbaf559bebab19229ba30106687a61ed4c62d000000000", "timestamp": 1700636371}""");

    private readonly byte[] buffer = new byte[WireLimits.MaxOutboundDatagram];
    private GetBlockReply message = null!;

    [GlobalSetup]
    public void Setup() => message = (GetBlockReply)MessageDecoder.Decode(Reply).Message!;

    [Benchmark]
    public Message? DecodeGetBlockReply() => MessageDecoder.Decode(Reply).Message;

    [Benchmark]
    public int EncodeGetBlockReply() => MessageEncoder.TryEncode(message, buffer, out var n) ? n : -1;

    [Benchmark]
    public bool HashAndValidate() => BlockValidator.Validate(message.Block!, PreviousHash, 1, 9).IsValid;

    [Benchmark]
    public bool HashOnly() => BlockHasher.Matches(message.Block!, PreviousHash);
}
