using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Ragtune.Core.Answering;
using Ragtune.Core.Telemetry;
using Ragtune.Testing.Telemetry;

namespace Ragtune.Core.Tests.Answering;

/// <summary>The ask's trace (retrieve, generate, record under one span, the chat model's GenAI span under generate) and its metrics.</summary>
public sealed class QuestionAnswererTelemetryTests : IDisposable
{
    private readonly AnswererBuilder _builder = new() { TraceChat = true };
    private readonly SpanCapture _spans = new();

    public void Dispose()
    {
        _spans.Dispose();
        _builder.Meters.Dispose();
    }

    [Fact]
    public async Task AskStreaming_Grounded_TracesRetrieveGenerateAndRecordUnderTheAskAndTheChatSpanUnderGenerate()
    {
        _builder.Index.Hits.Add(AnswererBuilder.Hit("handbook.pdf", 4, "New hires accrue 20 vacation days per year.", similarity: 0.71f));
        var answerer = _builder.Build();

        string answerId;
        Activity root;
        using (root = SpanCapture.StartRoot())
        {
            // Streamed, so the generate and record steps run after yields, where the current span is the caller's.
            var events = new List<AnswerEvent>();
            await foreach (var answerEvent in answerer.AskStreamingAsync(AnswererBuilder.Question("How many vacation days do new hires get?")))
            {
                events.Add(answerEvent);
            }

            answerId = Assert.IsType<DoneEvent>(events[^1]).Response.AnswerId;
        }

        var ask = Assert.Single(_spans.ChildrenOf(root));
        Assert.Equal(RagtuneTelemetry.Spans.Ask, ask.OperationName);
        Assert.Equal(RagtuneTelemetry.Name, ask.Source.Name);
        Assert.Equal(answerId, ask.GetTagItem(RagtuneTelemetry.Tags.AnswerId));
        Assert.Equal(true, ask.GetTagItem(RagtuneTelemetry.Tags.Grounded));
        Assert.Equal("hybrid", ask.GetTagItem(RagtuneTelemetry.Tags.SearchMode));
        Assert.Equal(ActivityStatusCode.Unset, ask.Status);

        var steps = _spans.ChildrenOf(ask);
        Assert.Equal([RagtuneTelemetry.Spans.Retrieve, RagtuneTelemetry.Spans.Generate, RagtuneTelemetry.Spans.Record], steps.Select(span => span.OperationName));
        Assert.Equal(1, steps[0].GetTagItem(RagtuneTelemetry.Tags.ContextChunks));
        Assert.Equal("gpt-4o-mini", steps[1].GetTagItem(RagtuneTelemetry.Tags.Model));
        Assert.Equal(812L, steps[1].GetTagItem(RagtuneTelemetry.Tags.InputTokens));
        Assert.Equal(41L, steps[1].GetTagItem(RagtuneTelemetry.Tags.OutputTokens));

        var chat = Assert.Single(_spans.ChildrenOf(steps[1]));
        Assert.Equal(RagtuneTelemetry.GenAISourceName, chat.Source.Name);
        Assert.Equal(ActivityKind.Client, chat.Kind);
        Assert.Equal(812, chat.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(41, chat.GetTagItem("gen_ai.usage.output_tokens"));
    }

    [Fact]
    public async Task Ask_ChatModelFails_MarksGenerateAndAskFailedByTypeAndRecordsTheFailedAsksDuration()
    {
        _builder.Index.Hits.Add(AnswererBuilder.Hit("handbook.pdf", 4, "New hires accrue 20 vacation days per year.", similarity: 0.71f));
        _builder.Chat.Failure = new DependencyUnavailableException("chat", DependencyFailure.Throttled, TimeSpan.FromSeconds(3));
        using var durations = new MetricCollector<double>(_builder.Meters, RagtuneTelemetry.Name, "ragtune.ask.duration");
        using var answers = new MetricCollector<long>(_builder.Meters, RagtuneTelemetry.Name, "ragtune.answers");
        var answerer = _builder.Build();

        Activity root;
        using (root = SpanCapture.StartRoot())
        {
            await Assert.ThrowsAsync<DependencyUnavailableException>(() => answerer.AskAsync(AnswererBuilder.Question("How many vacation days?")));
        }

        var ask = Assert.Single(_spans.ChildrenOf(root));
        var generate = Assert.Single(_spans.ChildrenOf(ask), span => span.OperationName == RagtuneTelemetry.Spans.Generate);
        foreach (var failed in new[] { ask, generate })
        {
            Assert.Equal(ActivityStatusCode.Error, failed.Status);
            Assert.Equal(typeof(DependencyUnavailableException).FullName, failed.GetTagItem(RagtuneTelemetry.Tags.ErrorType));
            Assert.Null(failed.StatusDescription);
        }

        Assert.DoesNotContain(_spans.ChildrenOf(ask), span => span.OperationName == RagtuneTelemetry.Spans.Record);
        Assert.Empty(answers.GetMeasurementSnapshot());
        var duration = Assert.Single(durations.GetMeasurementSnapshot());
        Assert.Equal(typeof(DependencyUnavailableException).FullName, duration.Tags[RagtuneTelemetry.Tags.ErrorType]);
    }

    [Fact]
    public async Task Ask_CountsTheAnswerByGroundedAndModeItsTokensByTypeAndItsDurationsInSeconds()
    {
        _builder.Index.Hits.Add(AnswererBuilder.Hit("handbook.pdf", 4, "New hires accrue 20 vacation days per year.", similarity: 0.71f));
        using var answers = new MetricCollector<long>(_builder.Meters, RagtuneTelemetry.Name, "ragtune.answers");
        using var tokens = new MetricCollector<long>(_builder.Meters, RagtuneTelemetry.Name, "ragtune.answer.tokens");
        using var asks = new MetricCollector<double>(_builder.Meters, RagtuneTelemetry.Name, "ragtune.ask.duration");
        using var retrievals = new MetricCollector<double>(_builder.Meters, RagtuneTelemetry.Name, "ragtune.retrieval.duration");
        using var generations = new MetricCollector<double>(_builder.Meters, RagtuneTelemetry.Name, "ragtune.generation.duration");
        var answerer = _builder.Build();

        var stopwatch = Stopwatch.StartNew();
        await answerer.AskAsync(AnswererBuilder.Question("How many vacation days do new hires get?"));
        await answerer.AskAsync(AnswererBuilder.Question("What is the capital of France?", minSimilarity: 0.9f));
        var elapsed = stopwatch.Elapsed.TotalSeconds;

        Assert.Equal(
            [(true, "hybrid"), (false, "hybrid")],
            answers.GetMeasurementSnapshot().Select(m => ((bool)m.Tags[RagtuneTelemetry.Tags.Grounded]!, (string)m.Tags[RagtuneTelemetry.Tags.SearchMode]!)));
        Assert.All(answers.GetMeasurementSnapshot(), m => Assert.Equal(1, m.Value));
        Assert.Equal(
            [("input", 812L), ("output", 41L)],
            tokens.GetMeasurementSnapshot().Select(m => ((string)m.Tags[RagtuneTelemetry.Tags.TokenType]!, m.Value)));
        Assert.All(tokens.GetMeasurementSnapshot(), m => Assert.Equal("gpt-4o-mini", m.Tags[RagtuneTelemetry.Tags.Model]));
        foreach (var collector in new[] { asks, retrievals, generations })
        {
            Assert.Equal(2, collector.GetMeasurementSnapshot().Count);
            Assert.All(collector.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, elapsed));
        }

        var ask = asks.GetMeasurementSnapshot()[0];
        Assert.True(ask.Value >= retrievals.GetMeasurementSnapshot()[0].Value + generations.GetMeasurementSnapshot()[0].Value);
    }
}
