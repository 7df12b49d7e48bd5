using System.Text;
using Ragtune.Core.Answering;
using Microsoft.AspNetCore.Http;
using Ragtune.Core;
using Ragtune.Core.Api;

namespace Ragtune.Http.Tests;

public sealed class AnswerEventsResultTests
{
    private static readonly AskResponse Response = new(
        "01JABCDEFGHJKMNPQRSTVWXYZ0", "Twenty days [1].", true,
        [new Citation(1, "d", "handbook.pdf", 4, "d-0", 0.71f, "Twenty days.\nNew line.")],
        "gpt-4o-mini", new TokenUsage(10, 3), new AnswerTimings(12, 640));

    [Fact]
    public async Task Write_EmitsNamedEventsWithOneJsonDataLineEach()
    {
        var text = await WriteAsync(Events(new CitationsEvent(Response.AnswerId, Response.Citations), new DeltaEvent("Twenty"), new DoneEvent(Response)));

        var blocks = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, blocks.Length);
        Assert.StartsWith("event: citations\ndata: {\"citations\":[{\"ref\":1,", blocks[0], StringComparison.Ordinal);
        Assert.Equal("event: delta\ndata: {\"text\":\"Twenty\"}", blocks[1]);
        Assert.StartsWith("event: done\ndata: {\"answerId\":\"01JABCDEFGHJKMNPQRSTVWXYZ0\",\"answer\":\"Twenty days [1].\",\"grounded\":true", blocks[2], StringComparison.Ordinal);
        Assert.All(blocks, b => Assert.Equal(2, b.Split('\n').Length));
    }

    [Fact]
    public async Task Write_FailureMidStream_EndsWithAnErrorEvent()
    {
        var text = await WriteAsync(FailingMidStream());

        Assert.Contains("event: error\ndata: {\"type\":\"urn:ragtune:problem:dependency-timeout\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Begin_FailureBeforeTheFirstEvent_ReturnsTheProblemInstead()
    {
        var (stream, problem) = await AnswerEventsResult.BeginAsync(FailingAtOnce());

        Assert.Null(stream);
        Assert.Equal(429, problem!.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), problem.RetryAfter);
    }

    [Fact]
    public async Task Begin_ChatFailureAfterTheCitations_ReturnsTheProblemInstead()
    {
        // The citations come from retrieval; a throttled or slow chat service fails before its first token.
        var (stream, problem) = await AnswerEventsResult.BeginAsync(Failing());

        Assert.Null(stream);
        Assert.Equal(504, problem!.Status);
    }

    [Fact]
    public async Task Begin_ReplaysTheHeldCitationsThenTheRestInOrder()
    {
        var (stream, problem) = await AnswerEventsResult.BeginAsync(
            Events(new CitationsEvent(Response.AnswerId, Response.Citations), new DeltaEvent("Twenty"), new DeltaEvent(" days"), new DoneEvent(Response)));

        Assert.Null(problem);
        var text = await WriteAsync(stream!);
        Assert.Equal(["citations", "delta", "delta", "done"], text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('\n')[0]["event: ".Length..]));
    }

    /// <summary>What the result writes to a response, as a host executes it.</summary>
    private static async Task<string> WriteAsync(IAsyncEnumerable<AnswerEvent> events)
    {
        var (stream, problem) = await AnswerEventsResult.BeginAsync(events);
        return problem is null ? await WriteAsync(stream!) : throw new InvalidOperationException($"The stream did not begin: {problem.Code}");
    }

    private static async Task<string> WriteAsync(AnswerEventsResult stream)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await stream.ExecuteAsync(context);
        Assert.Equal("text/event-stream", context.Response.ContentType);
        return Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
    }

    private static async IAsyncEnumerable<AnswerEvent> Events(params AnswerEvent[] events)
    {
        foreach (var answerEvent in events)
        {
            await Task.Yield();
            yield return answerEvent;
        }
    }

    private static async IAsyncEnumerable<AnswerEvent> Failing()
    {
        yield return new CitationsEvent(Response.AnswerId, []);
        await Task.Yield();
        throw new DependencyUnavailableException("chat", DependencyFailure.Timeout);
    }

    private static async IAsyncEnumerable<AnswerEvent> FailingMidStream()
    {
        yield return new CitationsEvent(Response.AnswerId, []);
        yield return new DeltaEvent("Twenty");
        await Task.Yield();
        throw new DependencyUnavailableException("chat", DependencyFailure.Timeout);
    }

    private static async IAsyncEnumerable<AnswerEvent> FailingAtOnce()
    {
        await Task.Yield();
        throw new DependencyUnavailableException("embeddings", DependencyFailure.Throttled, TimeSpan.FromSeconds(7));
#pragma warning disable CS0162 // An iterator needs a yield.
        yield break;
#pragma warning restore CS0162
    }
}
