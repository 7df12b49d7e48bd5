using System.Diagnostics;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Core.Telemetry;
using Ragtune.Testing.Telemetry;

namespace Ragtune.Core.Tests.FineTuning;

/// <summary>An export run's span: its outcome, name and count of rated answers, and none of their text.</summary>
public sealed class DatasetExporterTelemetryTests : IDisposable
{
    private readonly RatedAnswers _answers = new();
    private readonly SpanCapture _spans = new();

    public void Dispose() => _spans.Dispose();

    [Fact]
    public async Task Export_IsASpanWithItsOutcomeNameAndRatedCount_ThenUpToDate_AndNoQuestionAnswerOrCorrection()
    {
        var answer = await _answers.AnswerAsync("How long is the Quillon warranty?", "One Pellucid year.");
        await _answers.RateAsync(answer, FeedbackRating.Down, "Two Marjoramite years [1].");
        var exporter = _answers.Exporter();

        Activity root;
        DatasetExportResult first;
        using (root = SpanCapture.StartRoot())
        {
            first = await exporter.ExportAsync();
            await exporter.ExportAsync();
        }

        var runs = _spans.ChildrenOf(root);
        Assert.Equal([RagtuneTelemetry.Spans.Export, RagtuneTelemetry.Spans.Export], runs.Select(span => span.OperationName));
        Assert.Equal(["exported", "up_to_date"], runs.Select(span => span.GetTagItem(RagtuneTelemetry.Tags.ExportOutcome)));
        Assert.Equal(first.Manifest!.Name, runs[0].GetTagItem(RagtuneTelemetry.Tags.ExportName));
        Assert.Equal(1, runs[0].GetTagItem(RagtuneTelemetry.Tags.RatedInteractions));
        Assert.All(runs, span => Assert.Equal(ActivityStatusCode.Unset, span.Status));
        string[] secrets = ["Quillon", "Pellucid", "Marjoramite"];
        Assert.DoesNotContain(_spans.InTrace(root.TraceId).SelectMany(SpanText.Of), text => secrets.Any(secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Export_StoreFails_MarksTheSpanFailedByType()
    {
        var answer = await _answers.AnswerAsync("How long is the warranty?", "One year.");
        await _answers.RateAsync(answer, FeedbackRating.Up);
        _answers.Writer.FailBeforeManifest = true;

        Activity root;
        using (root = SpanCapture.StartRoot())
        {
            await Assert.ThrowsAsync<IOException>(() => _answers.Exporter().ExportAsync());
        }

        var run = Assert.Single(_spans.ChildrenOf(root));
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.Equal(typeof(IOException).FullName, run.GetTagItem(RagtuneTelemetry.Tags.ErrorType));
    }
}
