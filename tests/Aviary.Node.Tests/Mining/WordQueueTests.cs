using Aviary.Node.Mining;
using Aviary.Protocol;

namespace Aviary.Node.Tests.Mining;

/// <summary>The NEW_WORD queue: validation, de-duplication, the cap, and words going back after a lost race.</summary>
public sealed class WordQueueTests
{
    [Theory]
    [InlineData("", WordRejection.Empty)]
    [InlineData("   ", WordRejection.Empty)]
    [InlineData("abcdefghijklmnopqrstu", WordRejection.TooLong)]
    [InlineData("😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀", WordRejection.TooLong)]
    public void Words_a_block_cannot_hold_are_refused_and_counted(string word, WordRejection why)
    {
        var queue = new WordQueue();
        Assert.Equal(why, queue.Add(word));
        Assert.Equal(0, queue.Count);
        Assert.Equal(1, queue.Rejected(why));
    }

    [Fact]
    public void Twenty_code_points_fit_even_when_they_are_forty_utf16_units()
    {
        var queue = new WordQueue();
        Assert.Null(queue.Add(string.Concat(Enumerable.Repeat("😀", 20))));
        Assert.Null(queue.Add("abcdefghijklmnopqrst"));
        Assert.Equal(2, queue.Count);
    }

    [Fact]
    public void A_word_queued_or_being_mined_is_a_duplicate_until_mined()
    {
        var queue = new WordQueue();
        Assert.Null(queue.Add("marzipan"));
        Assert.Equal(WordRejection.Duplicate, queue.Add("marzipan"));
        var taken = queue.Take();
        Assert.Equal(WordRejection.Duplicate, queue.Add("marzipan"));
        queue.Mined(taken);
        Assert.Null(queue.Add("marzipan"));
        Assert.Equal(2, queue.Rejected(WordRejection.Duplicate));
    }

    [Fact]
    public void The_queue_stops_at_its_cap_and_counts_the_overflow()
    {
        var queue = new WordQueue();
        for (var i = 0; i < WordQueue.MaxWords; i++)
        {
            Assert.Null(queue.Add($"w{i}"));
        }

        Assert.Equal(WordRejection.QueueFull, queue.Add("one more"));
        Assert.Equal(WordRejection.QueueFull, queue.Add("and another"));
        Assert.Equal(WordQueue.MaxWords, queue.Count);
        Assert.Equal([(WordRejection.QueueFull, 2L)], queue.Rejections);
    }

    [Fact]
    public void A_block_takes_at_most_ten_and_words_put_back_return_to_the_front_in_order()
    {
        var queue = new WordQueue();
        for (var i = 0; i < 12; i++)
        {
            queue.Add($"w{i}");
        }

        var taken = queue.Take();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"w{i}"), taken);
        queue.Add("late");
        queue.PutBack(taken);
        Assert.Equal([.. taken, "w10", "w11", "late"], queue.Words);
    }

    [Fact]
    public void New_word_messages_reach_the_core_queue_with_rejections_counted()
    {
        var node = new TestNode();
        var peer = new PeerAddress("127.0.0.5", 8005);
        node.Receive(peer, new NewWord("ramifies"));
        node.Receive(peer, new NewWord("ramifies"));
        node.Receive(peer, new NewWord("much too long for any block"));
        Assert.Equal(["ramifies"], node.Core.Words.Words);
        Assert.Equal(1, node.Core.Words.Rejected(WordRejection.Duplicate));
        Assert.Equal(1, node.Core.Words.Rejected(WordRejection.TooLong));
    }
}
