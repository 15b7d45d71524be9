using System.Text;

using Aviary.Chain;
using Aviary.Mining.Remote;

namespace Aviary.Mining.Tests.Remote;

/// <summary>The line codec of the remote worker protocol.</summary>
public sealed class WorkerLineTests
{
    public static TheoryData<string> ReadmeLines => new()
    {
        """{"type":"hello","name":"rig-1","threads":8,"tier":"avx2"}""",
        """{"type":"job","job":7,"height":42,"previousHash":"8f2c1d0a9b7e6f5a4c3b2a19080706050403020100ffeeddccbbaa9988776655","minedBy":"Aviary","messages":["marzipan","boxers"],"timestamp":1764288000,"difficulty":8,"start":140737488355328,"count":2199023255552}""",
        """{"type":"solution","job":7,"nonce":"000000000000000000000000800000004d2f"}""",
        """{"type":"cancel","job":7}""",
        """{"type":"stats","attemptsPerSecond":182000000}""",
        """{"type":"bye","reason":"a bad solution for job 7"}""",
    };

    [Theory]
    [MemberData(nameof(ReadmeLines))]
    public void The_documented_lines_decode_and_encode_back_byte_for_byte(string line)
    {
        Assert.True(WorkerLine.TryDecode(Encoding.UTF8.GetBytes(line), out var message, out var error), error);
        Assert.Equal(line + "\n", Encoding.UTF8.GetString(WorkerLine.Encode(message!)));
    }

    [Fact]
    public void A_job_round_trips_with_its_template()
    {
        var template = new BlockTemplate(null, 0, "Prof!", ["Keep it", "simple.", "protégé's"], 1_730_000_000);
        var job = new WorkerJob(3, template, 4, CounterRanges.SlotStart(5), CounterRanges.SlotSize);

        var bytes = WorkerLine.Encode(job);
        Assert.True(WorkerLine.TryDecode(bytes.AsMemory(0, bytes.Length - 1), out var message, out var error), error);

        var decoded = Assert.IsType<WorkerJob>(message);
        Assert.Equal(job.Template, decoded.Template);
        Assert.Equal((job.Job, job.Difficulty, job.Start, job.Count), (decoded.Job, decoded.Difficulty, decoded.Start, decoded.Count));
        Assert.Equal(1, bytes.Count(b => b == '\n'));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"name":"x"}""")]
    [InlineData("""{"type":"mine"}""")]
    [InlineData("""{"type":"hello","name":"x","threads":"8","tier":"avx2"}""")]
    [InlineData("""{"type":"hello","name":"x","threads":-1,"tier":"avx2"}""")]
    [InlineData("""{"type":"hello","name":"0123456789012345678901234567890123456789012345678901234567890123456789","threads":1,"tier":"avx2"}""")]
    [InlineData("""{"type":"solution","job":7}""")]
    [InlineData("""{"type":"solution","job":0,"nonce":"1"}""")]
    [InlineData("""{"type":"solution","job":7,"nonce":"0123456789012345678901234567890123456789"}""")]
    [InlineData("""{"type":"stats","attemptsPerSecond":-5}""")]
    [InlineData("""{"type":"cancel","job":1.5}""")]
    [InlineData("""{"type":"job","job":1,"height":1,"previousHash":null,"minedBy":"a","messages":["m"],"timestamp":1,"difficulty":2,"start":0,"count":1}""")]
    [InlineData("""{"type":"job","job":1,"height":0,"previousHash":null,"minedBy":"a","messages":[],"timestamp":1,"difficulty":2,"start":0,"count":1}""")]
    [InlineData("""{"type":"job","job":1,"height":0,"previousHash":null,"minedBy":"a","messages":["m"],"timestamp":1,"difficulty":65,"start":0,"count":1}""")]
    [InlineData("""{"type":"job","job":1,"height":0,"previousHash":null,"minedBy":"a","messages":["m"],"timestamp":1,"difficulty":2,"start":281474976710655,"count":2}""")]
    [InlineData("""{"type":"job","job":1,"height":0,"previousHash":null,"minedBy":"a","messages":["m"],"timestamp":1,"difficulty":2,"start":0,"count":0}""")]
    public void Malformed_lines_are_refused_with_a_reason(string line)
    {
        Assert.False(WorkerLine.TryDecode(Encoding.UTF8.GetBytes(line), out var message, out var error));
        Assert.Null(message);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Eleven_messages_in_a_job_are_refused()
    {
        var messages = string.Join(",", Enumerable.Range(0, 11).Select(i => $"\"m{i}\""));
        var line = $$"""{"type":"job","job":1,"height":0,"previousHash":null,"minedBy":"a","messages":[{{messages}}],"timestamp":1,"difficulty":2,"start":0,"count":1}""";
        Assert.False(WorkerLine.TryDecode(Encoding.UTF8.GetBytes(line), out _, out _));
    }
}
