using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using Aviary.Chain;
using Aviary.Protocol;

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Aviary.Benchmarks;

/// <summary>
/// The per-block costs of sync: decode a GET_BLOCK_REPLY, encode one, hash + validate a block. Each
/// group has an anchor run in the same process (the ratio is the figure to compare across machines):
/// a bare System.Text.Json token pass over the same bytes, and one SHA-256 of the same input length.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class CodecBenchmarks
{
    // A real Fall 2023 block (f23b-1) as the professor's peer sends it.
    private const string PreviousHash = "da32c5e6d1478caad5c39eea5f05855daed3bda5980da4633aa1e5c000000000";

    private static readonly byte[] Reply = Encoding.UTF8.GetBytes(
        """{"type": "GET_BLOCK_REPLY", "height": 1, "minedBy": "Prof!", "nonce": "2251755442", "messages": ["wiz's", "shrouded", "regenerates", "reconnaissance's", "penitence"], "hash": "5b0cc813303f305927dbaf559bebab19229ba30106687a61ed4c62d000000000", "timestamp": 1700636371}""");

    private readonly byte[] buffer = new byte[WireLimits.MaxOutboundDatagram];
    private readonly byte[] digest = new byte[32];
    private GetBlockReply message = null!;
    private byte[] hashInput = [];

    [GlobalSetup]
    public void Setup()
    {
        message = (GetBlockReply)MessageDecoder.Decode(Reply).Message!;
        hashInput = new byte[BlockHasher.InputLength(message.Block!, PreviousHash)];
        BlockHasher.WriteInput(message.Block!, PreviousHash, hashInput);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("decode")]
    public int AnchorJsonTokenPass()
    {
        var reader = new Utf8JsonReader(Reply);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark]
    [BenchmarkCategory("decode")]
    public Message? DecodeGetBlockReply() => MessageDecoder.Decode(Reply).Message;

    [Benchmark]
    [BenchmarkCategory("encode")]
    public int EncodeGetBlockReply() => MessageEncoder.TryEncode(message, buffer, out var n) ? n : -1;

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("hash")]
    public int AnchorSha256SameLength() => SHA256.HashData(hashInput, digest);

    [Benchmark]
    [BenchmarkCategory("hash")]
    public bool HashOnly() => BlockHasher.Matches(message.Block!, PreviousHash);

    [Benchmark]
    [BenchmarkCategory("hash")]
    public bool HashAndValidate() => BlockValidator.Validate(message.Block!, PreviousHash, 1, 9).IsValid;
}
