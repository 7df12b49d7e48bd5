using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Ragtune.Core.Documents;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Core.Telemetry;
using Ragtune.Testing.Telemetry;

namespace Ragtune.Core.Tests.Ingestion;

/// <summary>An ingested document's trace (read, chunk, embed, write under the document's span) and the documents' counters.</summary>
public sealed partial class IngestionPipelineTests
{
    [Fact]
    public async Task Ingest_NewDocument_TracesReadChunkEmbedAndWriteUnderOneSpanByIdAndCountsItIndexed()
    {
        using var spans = new SpanCapture();
        using var ingested = new MetricCollector<long>(_meters, RagtuneTelemetry.Name, "ragtune.documents.ingested");
        using var failed = new MetricCollector<long>(_meters, RagtuneTelemetry.Name, "ragtune.documents.failed");

        IngestionResult result;
        Activity root;
        using (root = SpanCapture.StartRoot())
        {
            result = await _pipeline.IngestAsync(Text("Quillon-plans.md", Paragraphs(10)));
        }

        var document = Assert.Single(spans.ChildrenOf(root));
        Assert.Equal(RagtuneTelemetry.Spans.Ingest, document.OperationName);
        Assert.Equal(DocumentIds.ForSource("Quillon-plans.md"), document.GetTagItem(RagtuneTelemetry.Tags.DocumentId));
        Assert.Equal("indexed", document.GetTagItem(RagtuneTelemetry.Tags.Outcome));
        Assert.Equal(result.Chunks, document.GetTagItem(RagtuneTelemetry.Tags.Chunks));
        Assert.Equal(ActivityStatusCode.Unset, document.Status);

        var steps = spans.ChildrenOf(document);
        Assert.Equal(RagtuneTelemetry.Spans.Read, steps[0].OperationName);
        Assert.Equal(RagtuneTelemetry.Spans.Write, steps[^1].OperationName);
        Assert.Equal(
            [RagtuneTelemetry.Spans.Chunk, RagtuneTelemetry.Spans.Embed, RagtuneTelemetry.Spans.Write],
            steps.Skip(1).Take(3).Select(span => span.OperationName));
        Assert.Equal(result.Chunks, steps.Where(span => span.OperationName == RagtuneTelemetry.Spans.Embed).Sum(span => (int)span.GetTagItem(RagtuneTelemetry.Tags.EmbeddedChunks)!));
        Assert.True(steps.Count(span => span.OperationName == RagtuneTelemetry.Spans.Embed) > 1, "a span per batch");
        Assert.DoesNotContain(spans.InTrace(root.TraceId).SelectMany(SpanText.Of), text => text.Contains("Quillon", StringComparison.OrdinalIgnoreCase) || text.Contains("paragraph", StringComparison.OrdinalIgnoreCase));

        var count = Assert.Single(ingested.GetMeasurementSnapshot());
        Assert.Equal(1, count.Value);
        Assert.Equal("indexed", count.Tags[RagtuneTelemetry.Tags.Outcome]);
        Assert.Empty(failed.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Ingest_UnchangedDocument_IsCountedUnchanged()
    {
        using var ingested = new MetricCollector<long>(_meters, RagtuneTelemetry.Name, "ragtune.documents.ingested");

        await _pipeline.IngestAsync(Text("guide.md", Paragraphs(2)));
        await _pipeline.IngestAsync(Text("guide.md", Paragraphs(2)));

        Assert.Equal(["indexed", "unchanged"], ingested.GetMeasurementSnapshot().Select(m => (string)m.Tags[RagtuneTelemetry.Tags.Outcome]!));
    }

    [Fact]
    public async Task Ingest_CorruptFile_CountsAPermanentFailureByReasonCodeNeverByPathOrMessage()
    {
        using var spans = new SpanCapture();
        using var failed = new MetricCollector<long>(_meters, RagtuneTelemetry.Name, "ragtune.documents.failed");
        var random = new byte[4096];
        new Random(7).NextBytes(random);

        Activity root;
        using (root = SpanCapture.StartRoot())
        {
            var result = await _pipeline.IngestAsync(Bytes("Quillon-secret.pdf", random));
            Assert.Equal(IngestionOutcome.PermanentFailure, result.Outcome);
        }

        var document = Assert.Single(spans.ChildrenOf(root));
        Assert.Equal(ActivityStatusCode.Error, document.Status);
        Assert.Equal(typeof(DocumentReadException).FullName, document.GetTagItem(RagtuneTelemetry.Tags.ErrorType));
        Assert.Equal("corrupt", document.GetTagItem(RagtuneTelemetry.Tags.Reason));
        Assert.DoesNotContain(spans.InTrace(root.TraceId).SelectMany(SpanText.Of), text => text.Contains("Quillon", StringComparison.OrdinalIgnoreCase));

        var count = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal(("permanent_failure", "corrupt"), ((string)count.Tags[RagtuneTelemetry.Tags.Outcome]!, (string)count.Tags[RagtuneTelemetry.Tags.Reason]!));
        Assert.DoesNotContain(count.Tags.Values, value => value is string text && text.Contains("Quillon", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Ingest_EmbeddingsUnavailable_MarksTheEmbedSpanAndCountsATransientFailure()
    {
        using var spans = new SpanCapture();
        using var failed = new MetricCollector<long>(_meters, RagtuneTelemetry.Name, "ragtune.documents.failed");
        _embeddings.FailOn = (2, new DependencyUnavailableException("embeddings", DependencyFailure.Unavailable));

        Activity root;
        using (root = SpanCapture.StartRoot())
        {
            var result = await _pipeline.IngestAsync(Text("guide.md", Paragraphs(10)));
            Assert.Equal(IngestionOutcome.TransientFailure, result.Outcome);
        }

        var document = Assert.Single(spans.ChildrenOf(root));
        var embeds = spans.ChildrenOf(document).Where(span => span.OperationName == RagtuneTelemetry.Spans.Embed).ToList();
        Assert.Equal([ActivityStatusCode.Unset, ActivityStatusCode.Error], embeds.Select(span => span.Status));
        Assert.Equal(typeof(DependencyUnavailableException).FullName, embeds[1].GetTagItem(RagtuneTelemetry.Tags.ErrorType));
        Assert.Equal("transient_failure", document.GetTagItem(RagtuneTelemetry.Tags.Outcome));
        var count = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal(("transient_failure", "embeddings_unavailable"), ((string)count.Tags[RagtuneTelemetry.Tags.Outcome]!, (string)count.Tags[RagtuneTelemetry.Tags.Reason]!));
    }
}
