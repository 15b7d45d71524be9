using System.Text;

using Aviary.Protocol;

namespace Aviary.Node.Tests;

public sealed class ServingTests
{
    private static readonly PeerAddress Client = new("127.0.0.9", 40000);

    /// <summary>A node whose client has proven it receives (unproven ones are answered only up to their byte credit: see FloodTests).</summary>
    private static TestNode Serving(IReadOnlyList<Block>? chain = null)
    {
        var node = new TestNode(chain: chain);
        node.Prove(Client);
        return node;
    }

    [Fact]
    public void Stats_reply_gives_block_count_and_top_hash_to_the_datagram_source()
    {
        var chain = TestBlocks.Chain(5);
        var node = Serving(chain);
        node.Receive(Client, Stats.Instance);
        var reply = Assert.Single(node.Transport.Of<StatsReply>());
        Assert.Equal(Client, reply.To);
        Assert.Equal(new StatsReply(5, chain[^1].Hash), reply.Message);
    }

    [Fact]
    public void Empty_chain_answers_height_zero_and_null_hash()
    {
        var node = Serving();
        node.Receive(Client, Stats.Instance);
        var sent = Assert.Single(node.Transport.Sent);
        Assert.Equal("""{"type":"STATS_REPLY","height":0,"hash":null}""", Encoding.UTF8.GetString(sent.Bytes));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public void Get_block_returns_the_block(long height)
    {
        var chain = TestBlocks.Chain(5);
        var node = Serving(chain);
        node.Receive(Client, new GetBlock(height));
        Assert.Equal(chain[(int)height], Assert.Single(node.Transport.Of<GetBlockReply>()).Message.Block);
    }

    [Theory]
    [InlineData("""{"type":"GET_BLOCK","height":5}""")]
    [InlineData("""{"type":"GET_BLOCK","height":59382}""")]
    [InlineData("""{"type":"GET_BLOCK","height":-1}""")]
    [InlineData("""{"type":"GET_BLOCK","height":1.5}""")]
    [InlineData("""{"type":"GET_BLOCK","height":"two"}""")]
    [InlineData("""{"type":"GET_BLOCK","height":null}""")]
    public void Missing_negative_or_non_integer_height_gets_the_all_null_reply(string request)
    {
        var node = Serving(TestBlocks.Chain(5));
        node.Receive(Client, request);
        var sent = Assert.Single(node.Transport.Sent);
        Assert.Equal(Client, sent.To);
        Assert.Equal("""{"type":"GET_BLOCK_REPLY","height":null,"minedBy":null,"nonce":null,"messages":null,"hash":null,"timestamp":null}""", Encoding.UTF8.GetString(sent.Bytes));
    }

    [Fact]
    public void Garbage_is_counted_by_reason_and_answered_with_nothing()
    {
        var node = Serving(TestBlocks.Chain(1));
        node.Receive(Client, "not json");
        node.Receive(Client, """["Empty Chain"]""");
        node.Receive(Client, """{"type":"FLOOD"}""");
        Assert.Empty(node.Transport.Sent);
        Assert.Equal(1, node.Core.Counters.Rejections(RejectionReason.NotJson));
        Assert.Equal(1, node.Core.Counters.Rejections(RejectionReason.NotObject));
        Assert.Equal(1, node.Core.Counters.Rejections(RejectionReason.UnknownType));
        Assert.Equal(3, node.Core.Counters.RejectionsBySource[Client.Host]);

        node.Receive(Client, Stats.Instance);
        Assert.Single(node.Transport.Of<StatsReply>());
    }

    [Fact]
    public void Consensus_request_is_counted()
    {
        var node = new TestNode();
        node.Receive(Client, Consensus.Instance);
        Assert.Equal(1, node.Core.Counters.ConsensusRequests);
    }
}
