using System.Text.Json;
using Ragtune.Cli.Tests.Contract;
using Ragtune.Core.Answering;

namespace Ragtune.Cli.Tests.Http;

/// <summary>POST /api/ask with <c>Accept: text/event-stream</c>: citations, then deltas, then done.</summary>
[Collection(ServeCollection.Name)]
public sealed class AskStreamingTests(ServeFixture fixture)
{
    [Fact]
    public async Task AskStreaming_GroundedQuestion_StreamsCitationsDeltasAndTheSameAnswerAsJson()
    {
        var request = new { question = "What is the copay for a specialist visit with Northwind Health Plus?" };

        var events = await ServerSentEvent.AskAsync(fixture.Client, request);
        var json = await fixture.Client.AskAsync(request);

        Assert.Equal("citations", events[0].Name);
        Assert.Equal("done", events[^1].Name);
        var deltas = events.Skip(1).SkipLast(1).ToList();
        Assert.NotEmpty(deltas);
        Assert.All(deltas, e => Assert.Equal("delta", e.Name));
        Assert.All(deltas, e => ApiShapes.HasExactly(e.Data, ["text"]));
        ApiShapes.HasExactly(events[0].Data, ["citations"]);

        var done = events[^1].Data;
        ApiShapes.AssertAnswer(done);
        Assert.True(done.GetProperty("grounded").GetBoolean());
        Assert.Equal(done.GetProperty("answer").GetString(), string.Concat(deltas.Select(e => e.Data.GetProperty("text").GetString())));
        Assert.Equal(Raw(done.GetProperty("citations")), Raw(events[0].Data.GetProperty("citations")));

        // The same question as JSON: the same citations and text; only the id and the timings are the answer's own.
        Assert.Equal(Raw(json.GetProperty("citations")), Raw(done.GetProperty("citations")));
        Assert.Equal(json.GetProperty("answer").GetString(), done.GetProperty("answer").GetString());
        Assert.NotEqual(json.GetProperty("answerId").GetString(), done.GetProperty("answerId").GetString());
    }

    [Fact]
    public async Task AskStreaming_OffTopicQuestion_StreamsNoCitationsAndTheNotCoveredAnswer()
    {
        var events = await ServerSentEvent.AskAsync(fixture.Client, new { question = "What is the capital of France?" });

        Assert.Equal(["citations", "delta", "done"], events.Select(e => e.Name));
        Assert.Empty(events[0].Data.GetProperty("citations").EnumerateArray());
        Assert.Equal(new AnswerOptions().NotGroundedAnswer, events[1].Data.GetProperty("text").GetString());
        ApiShapes.AssertAnswer(events[2].Data);
        Assert.False(events[2].Data.GetProperty("grounded").GetBoolean());
    }

    private static string Raw(JsonElement element) => element.GetRawText();
}
