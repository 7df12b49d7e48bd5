using System.Text;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;

namespace Ragtune.Core.Tests.Api;

public sealed class AnswerEventsTests
{
    private static readonly AskResponse Response = new(
        "01JABCDEFGHJKMNPQRSTVWXYZ0", "Twenty days [1].", true,
        [new Citation(1, "d", "handbook.pdf", 4, "d-0", 0.71f, "Twenty days.\nNew line.")],
        "gpt-4o-mini", new TokenUsage(10, 3), new AnswerTimings(12, 640));

    [Fact]
    public async Task Write_EmitsNamedEventsWithOneJsonDataLineEach()
    {
        var output = new MemoryStream();

        await AnswerEvents.WriteAsync(output, Events(new CitationsEvent(Response.Citations), new DeltaEvent("Twenty"), new DoneEvent(Response)), ApiProblem.FromException);

        var text = Encoding.UTF8.GetString(output.ToArray());
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
        var output = new MemoryStream();

        await AnswerEvents.WriteAsync(output, Failing(), ApiProblem.FromException);

        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains("event: error\ndata: {\"type\":\"urn:ragtune:problem:dependency-timeout\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Begin_FailureBeforeTheFirstEvent_ReturnsTheProblemInstead()
    {
        var (events, problem) = await AnswerEvents.BeginAsync(FailingAtOnce());

        Assert.Null(events);
        Assert.Equal(429, problem!.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), problem.RetryAfter);
    }

    [Fact]
    public async Task Begin_ChatFailureAfterTheCitations_ReturnsTheProblemInstead()
    {
        // The citations come from retrieval; a throttled or slow chat service fails before its first token.
        var (events, problem) = await AnswerEvents.BeginAsync(Failing());

        Assert.Null(events);
        Assert.Equal(504, problem!.Status);
    }

    [Fact]
    public async Task Begin_ReplaysTheHeldCitationsThenTheRestInOrder()
    {
        var (events, problem) = await AnswerEvents.BeginAsync(
            Events(new CitationsEvent(Response.Citations), new DeltaEvent("Twenty"), new DeltaEvent(" days"), new DoneEvent(Response)));

        Assert.Null(problem);
        Assert.Equal(["citations", "delta", "delta", "done"], await events!.Select(e => e.Name).ToListAsync());
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
        yield return new CitationsEvent([]);
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
