using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Core.Chunking;
using Ragtune.Core.Documents;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Core.Tests.Chunking;
using Ragtune.Core.Tests.Fakes;
using Ragtune.Core.Telemetry;
using Ragtune.Testing;
using Ragtune.Testing.Telemetry;

namespace Ragtune.Core.Tests.Ingestion;

public sealed partial class IngestionPipelineTests
{
    private readonly InMemoryChunkIndex _index = new();
    private readonly InMemoryDocumentCatalog _catalog = new();
    private readonly CountingEmbeddingGenerator _embeddings = new();
    private readonly TestMeterFactory _meters = new();
    private readonly TextChunker _chunker;
    private readonly IngestionPipeline _pipeline;

    public IngestionPipelineTests()
    {
        var profile = MiniLm.Profile() with { Dimensions = 8 };
        _chunker = new TextChunker(profile, Options.Create(new ChunkingOptions()));
        _pipeline = new IngestionPipeline(
            DocumentReaders.CreateDefault(),
            _chunker,
            _embeddings,
            profile,
            _index,
            _catalog,
            Options.Create(new IngestionOptions { BatchSize = 4 }),
            TimeProvider.System,
            new RagtuneMetrics(_meters),
            NullLogger<IngestionPipeline>.Instance);
    }

    [Fact]
    public async Task Ingest_NewDocument_IndexesEveryChunkAndRecordsIt()
    {
        var result = await _pipeline.IngestAsync(Text("guide.md", Paragraphs(10)));

        Assert.Equal(IngestionOutcome.Indexed, result.Outcome);
        var chunks = _index.ChunksOf(DocumentIds.ForSource("guide.md"));
        Assert.True(chunks.Count > 4, "the document spans several batches");
        Assert.Equal(result.Chunks, chunks.Count);
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Ordinal).Order());
        Assert.All(chunks, c => Assert.Equal(DocumentIds.ForChunk(c.DocumentId, c.Ordinal), c.ChunkId));
        var record = await _catalog.FindAsync(DocumentIds.ForSource("guide.md"));
        Assert.Equal(DocumentStatus.Indexed, record!.Status);
        Assert.Equal(chunks.Count, record.Chunks);
        Assert.Equal(64, record.ContentHash.Length);
    }

    [Fact]
    public async Task Ingest_UnchangedDocument_MakesNoEmbeddingCall()
    {
        await _pipeline.IngestAsync(Text("guide.md", Paragraphs(10)));
        var callsAfterFirst = _embeddings.Calls;

        var again = await _pipeline.IngestAsync(Text("guide.md", Paragraphs(10)));

        Assert.Equal(IngestionOutcome.Unchanged, again.Outcome);
        Assert.Equal(callsAfterFirst, _embeddings.Calls);
        Assert.Equal(1, _index.Replacements);
    }

    [Fact]
    public async Task Ingest_DocumentWithHeadings_StoresEachChunksSectionAndEmbedsItWithItsHeadings()
    {
        await _pipeline.IngestAsync(Text("plan.md", ["# Plan", "## Costs", .. Paragraphs(4)]));

        var chunks = _index.ChunksOf(DocumentIds.ForSource("plan.md"));
        Assert.True(chunks.Count > 2);
        Assert.All(chunks, chunk => Assert.Equal("Plan > Costs", chunk.Section));
        var later = chunks.OrderBy(chunk => chunk.Ordinal).Last();
        var embedded = "Plan > Costs\n\n" + later.Text;
        Assert.Equal(CountingEmbeddingGenerator.VectorOf(embedded), later.Vector.ToArray());
        Assert.Equal(DocumentIds.ContentHash(embedded), later.ContentHash);
    }

    [Fact]
    public async Task Ingest_UnchangedDocumentCutWithAnotherChunking_IsIngestedAgainOnce()
    {
        var id = DocumentIds.ForSource("guide.md");
        await _pipeline.IngestAsync(Text("guide.md", Paragraphs(3)) with { Version = "v1" });
        var record = (await _catalog.FindAsync(id))!;
        Assert.Equal(_chunker.Fingerprint, record.Chunking);
        await _catalog.SaveAsync(record with { Chunking = null });

        var first = await _pipeline.IngestAsync(Text("guide.md", Paragraphs(3)) with { Version = "v1" });
        var second = await _pipeline.IngestAsync(Text("guide.md", Paragraphs(3)) with { Version = "v1" });

        Assert.Equal([IngestionOutcome.Indexed, IngestionOutcome.Unchanged], new[] { first.Outcome, second.Outcome });
        Assert.Equal(2, _index.Replacements);
        Assert.Equal(_chunker.Fingerprint, (await _catalog.FindAsync(id))!.Chunking);
    }

    [Fact]
    public async Task Ingest_SameVersionAgain_DoesNotOpenTheDocument()
    {
        await _pipeline.IngestAsync(Text("guide.md", Paragraphs(3)) with { Version = "v1" });
        var opened = 0;
        var unreadable = new SourceDocument("guide.md", [], _ => throw new InvalidOperationException($"opened {++opened} times"), "v1");

        var again = await _pipeline.IngestAsync(unreadable);

        Assert.Equal(IngestionOutcome.Unchanged, again.Outcome);
        Assert.Equal(0, opened);
        Assert.Equal("v1", (await _catalog.FindAsync(DocumentIds.ForSource("guide.md")))!.SourceVersion);
    }

    [Fact]
    public async Task Ingest_NewVersionOfTheSameBytes_ReadsThemOnce_ThenRemembersTheVersion()
    {
        await _pipeline.IngestAsync(Text("guide.md", Paragraphs(3)) with { Version = "v1" });
        var callsBefore = _embeddings.Calls;
        var opened = 0;
        var touched = Text("guide.md", Paragraphs(3)) with { Version = "v2" };
        touched = touched with { OpenAsync = token => { opened++; return Text("guide.md", Paragraphs(3)).OpenAsync(token); } };

        var first = await _pipeline.IngestAsync(touched);
        var second = await _pipeline.IngestAsync(touched);

        Assert.Equal([IngestionOutcome.Unchanged, IngestionOutcome.Unchanged], new[] { first.Outcome, second.Outcome });
        Assert.Equal(1, opened);
        Assert.Equal(callsBefore, _embeddings.Calls);
        Assert.Equal(1, _index.Replacements);
        Assert.Equal("v2", (await _catalog.FindAsync(DocumentIds.ForSource("guide.md")))!.SourceVersion);
    }

    [Fact]
    public async Task Ingest_NewVersionWithNewContent_IsIndexedUnderThatVersion()
    {
        await _pipeline.IngestAsync(Text("guide.md", Paragraphs(3)) with { Version = "v1" });

        var result = await _pipeline.IngestAsync(Text("guide.md", Paragraphs(4)) with { Version = "v2" });

        Assert.Equal(IngestionOutcome.Indexed, result.Outcome);
        Assert.Equal(2, _index.Replacements);
        Assert.Equal("v2", (await _catalog.FindAsync(DocumentIds.ForSource("guide.md")))!.SourceVersion);
    }

    [Fact]
    public async Task Ingest_SameVersionWithOtherGroups_RewritesTheChunks()
    {
        await _pipeline.IngestAsync(Text("guide.md", Paragraphs(3)) with { Version = "v1" });

        var result = await _pipeline.IngestAsync(Text("guide.md", Paragraphs(3), groups: ["hr"]) with { Version = "v1" });

        Assert.Equal(IngestionOutcome.Indexed, result.Outcome);
        Assert.All(_index.ChunksOf(DocumentIds.ForSource("guide.md")), c => Assert.Equal(["hr"], c.Groups));
    }

    [Fact]
    public async Task Ingest_WithoutVersion_AlwaysComparesTheBytes()
    {
        await _pipeline.IngestAsync(Text("guide.md", Paragraphs(3)));

        var result = await _pipeline.IngestAsync(Text("guide.md", Paragraphs(4)));

        Assert.Equal(IngestionOutcome.Indexed, result.Outcome);
        Assert.Null((await _catalog.FindAsync(DocumentIds.ForSource("guide.md")))!.SourceVersion);
    }

    [Fact]
    public async Task Ingest_UnreadableVersion_IsRecordedWithIt_AndNotReadAgain()
    {
        await _pipeline.IngestAsync(Bytes("empty.txt", []) with { Version = "v1" });
        var opened = 0;
        var same = new SourceDocument("empty.txt", [], _ => throw new InvalidOperationException($"opened {++opened} times"), "v1");

        var again = await _pipeline.IngestAsync(same);

        Assert.Equal(IngestionOutcome.PermanentFailure, again.Outcome);
        Assert.False(string.IsNullOrWhiteSpace(again.Error));
        Assert.Equal(0, opened);
    }

    [Fact]
    public async Task Ingest_ShrunkDocument_LeavesNoStaleChunk()
    {
        await _pipeline.IngestAsync(Text("guide.md", Paragraphs(10)));
        var before = _index.ChunksOf(DocumentIds.ForSource("guide.md")).Count;

        var result = await _pipeline.IngestAsync(Text("guide.md", Paragraphs(3)));

        var after = _index.ChunksOf(DocumentIds.ForSource("guide.md"));
        Assert.True(after.Count < before);
        Assert.Equal(result.Chunks, after.Count);
        Assert.Equal(Enumerable.Range(0, after.Count), after.Select(c => c.Ordinal).Order());
        Assert.DoesNotContain(after, c => c.Text.Contains("paragraph 9 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ingest_EditedParagraph_ReembedsOnlyItsChunks()
    {
        var paragraphs = Paragraphs(10);
        await _pipeline.IngestAsync(Text("guide.md", paragraphs));
        var before = _index.ChunksOf(DocumentIds.ForSource("guide.md")).Select(c => c.ContentHash).ToHashSet(StringComparer.Ordinal);
        var inputsBefore = _embeddings.Inputs;

        paragraphs[5] = paragraphs[5].Replace("Sentence 3 of part 5", "Sentence 3 (revised) of part 5", StringComparison.Ordinal);
        var result = await _pipeline.IngestAsync(Text("guide.md", paragraphs));

        Assert.Equal(IngestionOutcome.Indexed, result.Outcome);
        var after = _index.ChunksOf(DocumentIds.ForSource("guide.md"));
        var changed = after.Where(c => !before.Contains(c.ContentHash)).ToList();
        Assert.NotEmpty(changed);
        Assert.All(changed, c => Assert.Contains("(revised)", c.Text, StringComparison.Ordinal));
        Assert.Equal(changed.Count, _embeddings.Inputs - inputsBefore);
        Assert.Equal(changed.Count, result.EmbeddedChunks);
        Assert.True(changed.Count <= after.Count / 4, $"{changed.Count} of {after.Count} chunks re-embedded");
    }

    [Fact]
    public async Task Ingest_GroupsChanged_RewritesChunksWithoutEmbedding()
    {
        await _pipeline.IngestAsync(Text("guide.md", Paragraphs(3)));
        var inputsBefore = _embeddings.Inputs;

        var result = await _pipeline.IngestAsync(Text("guide.md", Paragraphs(3), groups: ["hr"]));

        Assert.Equal(IngestionOutcome.Indexed, result.Outcome);
        Assert.Equal(inputsBefore, _embeddings.Inputs);
        Assert.All(_index.ChunksOf(DocumentIds.ForSource("guide.md")), c => Assert.Equal(["hr"], c.Groups));
        Assert.Equal(["hr"], (await _catalog.FindAsync(DocumentIds.ForSource("guide.md")))!.Groups);
    }

    [Fact]
    public async Task Remove_DeletesEveryChunkAndTheRecord()
    {
        await _pipeline.IngestAsync(Text("guide.md", Paragraphs(10)));
        await _pipeline.IngestAsync(Text("other.md", Paragraphs(2)));

        await _pipeline.RemoveAsync("guide.md");

        Assert.Empty(_index.ChunksOf(DocumentIds.ForSource("guide.md")));
        Assert.Null(await _catalog.FindAsync(DocumentIds.ForSource("guide.md")));
        Assert.NotEmpty(_index.ChunksOf(DocumentIds.ForSource("other.md")));
    }

    [Fact]
    public async Task IngestMany_CorruptFile_FailsAloneAndTheOthersAreSearchable()
    {
        var random = new byte[4096];
        new Random(7).NextBytes(random);
        var documents = new[]
        {
            Text("a.md", Paragraphs(2)),
            Bytes("broken.pdf", random),
            Text("b.md", Paragraphs(2)),
        };

        var results = await _pipeline.IngestManyAsync(documents);

        Assert.Equal([IngestionOutcome.Indexed, IngestionOutcome.PermanentFailure, IngestionOutcome.Indexed], results.Select(r => r.Outcome));
        Assert.NotNull(results[1].Error);
        var broken = await _catalog.FindAsync(DocumentIds.ForSource("broken.pdf"));
        Assert.Equal(DocumentStatus.Failed, broken!.Status);
        Assert.Equal(results[1].Error, broken.Error);
        Assert.NotEmpty(_index.ChunksOf(DocumentIds.ForSource("a.md")));
        Assert.NotEmpty(_index.ChunksOf(DocumentIds.ForSource("b.md")));
        Assert.Empty(_index.ChunksOf(DocumentIds.ForSource("broken.pdf")));
    }

    [Fact]
    public async Task Ingest_FailureMidDocument_LeavesThePreviousVersionIntact()
    {
        await _pipeline.IngestAsync(Text("guide.md", Paragraphs(10)));
        var before = _index.ChunksOf(DocumentIds.ForSource("guide.md"));
        var recordBefore = await _catalog.FindAsync(DocumentIds.ForSource("guide.md"));
        _embeddings.FailOn = (_embeddings.Calls + 2, new DependencyUnavailableException("embeddings", DependencyFailure.Unavailable));

        var changed = Paragraphs(10).Select(p => p.Replace("paragraph", "section", StringComparison.Ordinal)).ToArray();
        var result = await _pipeline.IngestAsync(Text("guide.md", changed));

        Assert.Equal(IngestionOutcome.TransientFailure, result.Outcome);
        Assert.IsType<DependencyUnavailableException>(result.Exception);
        Assert.Equal(before, _index.ChunksOf(DocumentIds.ForSource("guide.md")));
        Assert.Equal(recordBefore, await _catalog.FindAsync(DocumentIds.ForSource("guide.md")));
    }

    [Fact]
    public async Task Ingest_ChangedVersionUnreadable_KeepsThePreviousChunksAndRecordsTheFailure()
    {
        await _pipeline.IngestAsync(Text("guide.txt", Paragraphs(3)));
        var before = _index.ChunksOf(DocumentIds.ForSource("guide.txt"));

        var result = await _pipeline.IngestAsync(Bytes("guide.txt", [0xC3, 0x28, 0xFF, 0xFE, 0x41]));

        Assert.Equal(IngestionOutcome.PermanentFailure, result.Outcome);
        Assert.Equal(before, _index.ChunksOf(DocumentIds.ForSource("guide.txt")));
        var record = await _catalog.FindAsync(DocumentIds.ForSource("guide.txt"));
        Assert.Equal(DocumentStatus.Failed, record!.Status);
        Assert.Equal(before.Count, record.Chunks);
    }

    [Fact]
    public async Task Ingest_SameUnreadableContentAgain_IsNotRetried()
    {
        await _pipeline.IngestAsync(Bytes("empty.txt", []));
        var record = await _catalog.FindAsync(DocumentIds.ForSource("empty.txt"));

        var again = await _pipeline.IngestAsync(Bytes("empty.txt", []));

        Assert.Equal(IngestionOutcome.PermanentFailure, again.Outcome);
        Assert.Equal(record, await _catalog.FindAsync(DocumentIds.ForSource("empty.txt")));
    }

    [Theory]
    [InlineData("empty.txt", new byte[0], DocumentReadFailure.Empty)]
    [InlineData("random.txt", new byte[] { 0xC3, 0x28, 0xA0, 0xA1, 0xE2, 0x28, 0xA1 }, DocumentReadFailure.InvalidEncoding)]
    [InlineData("random.pdf", new byte[] { 0x13, 0x37, 0x00, 0xFF, 0x42 }, DocumentReadFailure.Corrupt)]
    [InlineData("picture.png", new byte[] { 0x89, 0x50, 0x4E, 0x47 }, DocumentReadFailure.Unsupported)]
    public async Task Ingest_BadInput_FailsPermanentlyWithItsReason(string name, byte[] content, DocumentReadFailure failure)
    {
        var result = await _pipeline.IngestAsync(Bytes(name, content));

        Assert.Equal(IngestionOutcome.PermanentFailure, result.Outcome);
        Assert.Equal(failure, Assert.IsType<DocumentReadException>(result.Exception).Failure);
        Assert.Equal(0, _embeddings.Calls);
    }

    [Fact]
    public async Task Ingest_TruncatedPdf_FailsAsCorrupt()
    {
        var pdf = await File.ReadAllBytesAsync(SharedData.ContosoDocument("PerksPlus.pdf"));

        var result = await _pipeline.IngestAsync(Bytes("truncated.pdf", pdf[..(pdf.Length / 2)]));

        Assert.Equal(IngestionOutcome.PermanentFailure, result.Outcome);
        Assert.Equal(DocumentReadFailure.Corrupt, Assert.IsType<DocumentReadException>(result.Exception).Failure);
    }

    [Fact]
    public async Task Ingest_NonSeekableStream_IsRead()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Join("\n\n", Paragraphs(3)));
        var document = new SourceDocument("stream.md", [], _ => Task.FromResult<Stream>(new ForwardOnlyStream(bytes)));

        var result = await _pipeline.IngestAsync(document);

        Assert.Equal(IngestionOutcome.Indexed, result.Outcome);
        Assert.NotEmpty(_index.ChunksOf(DocumentIds.ForSource("stream.md")));
    }

    [Fact]
    public async Task Synchronize_RemovesDocumentsWhoseSourceIsGone()
    {
        await _pipeline.IngestAsync(Text("kept.md", Paragraphs(2)) with { Origin = Watched });
        await _pipeline.IngestAsync(Text("gone.md", Paragraphs(2)) with { Origin = Watched });

        var result = await _pipeline.SynchronizeAsync(Watched, [Text("kept.md", Paragraphs(2)), Text("new.md", Paragraphs(1))]);

        Assert.Equal(["gone.md"], result.Removed);
        Assert.Equal([IngestionOutcome.Unchanged, IngestionOutcome.Indexed], result.Ingested.Select(r => r.Outcome));
        Assert.Empty(_index.ChunksOf(DocumentIds.ForSource("gone.md")));
        Assert.Equal(["kept.md", "new.md"], (await _catalog.ListAsync()).Select(r => r.Source));
    }

    [Fact]
    public async Task Ingest_RecordsTheOriginOfIndexedAndOfFailedDocuments()
    {
        await _pipeline.IngestAsync(Text("good.md", Paragraphs(1)) with { Origin = Ingested });
        await _pipeline.IngestAsync(Bytes("bad.pdf", [1, 2, 3]) with { Origin = Ingested });

        Assert.All(await _catalog.ListAsync(), record => Assert.Equal(Ingested, record.Origin));
        Assert.Equal(2, (await _catalog.ListAsync()).Count);
    }

    [Fact]
    public async Task Synchronize_KeepsDocumentsOfOtherOrigins_AndCountsThem()
    {
        await _pipeline.IngestAsync(Text("mine/ingested.md", Paragraphs(2)) with { Origin = Ingested });
        await _pipeline.IngestAsync(Text("mine/also.md", Paragraphs(1)) with { Origin = Ingested });
        await _pipeline.IngestAsync(Text("old.md", Paragraphs(1)));
        await _pipeline.IngestAsync(Text("gone.md", Paragraphs(1)) with { Origin = Watched });

        var result = await _pipeline.SynchronizeAsync(Watched, [Text("sample.md", Paragraphs(1))]);

        Assert.Equal(["gone.md"], result.Removed);
        Assert.Equal([new OriginCount(Ingested, 2), new OriginCount(DocumentOrigin.Unknown, 1)], result.OtherOrigins);
        Assert.Equal(["mine/also.md", "mine/ingested.md", "old.md", "sample.md"], (await _catalog.ListAsync()).Select(r => r.Source));
        Assert.NotEmpty(_index.ChunksOf(DocumentIds.ForSource("mine/ingested.md")));
        Assert.NotEmpty(_index.ChunksOf(DocumentIds.ForSource("old.md")));
    }

    [Fact]
    public async Task Synchronize_AdoptsAnUnchangedDocumentOfAnotherOriginFoundInItsListing()
    {
        await _pipeline.IngestAsync(Text("shared.md", Paragraphs(2)) with { Origin = Ingested });
        var calls = _embeddings.Calls;

        var adopted = await _pipeline.SynchronizeAsync(Watched, [Text("shared.md", Paragraphs(2))]);
        var record = await _catalog.FindAsync(DocumentIds.ForSource("shared.md"));

        Assert.Equal(IngestionOutcome.Unchanged, Assert.Single(adopted.Ingested).Outcome);
        Assert.Equal(calls, _embeddings.Calls);
        Assert.Equal(Watched, record?.Origin);
        Assert.Empty(adopted.OtherOrigins);

        var gone = await _pipeline.SynchronizeAsync(Watched, []);
        Assert.Equal(["shared.md"], gone.Removed);
    }

    [Fact]
    public async Task RemoveIfOwned_KeepsADocumentOfAnotherOrigin_AndRemovesItsOwn()
    {
        await _pipeline.IngestAsync(Text("theirs.md", Paragraphs(1)) with { Origin = Ingested });
        await _pipeline.IngestAsync(Text("ours.md", Paragraphs(1)) with { Origin = Watched });

        Assert.False(await _pipeline.RemoveIfOwnedAsync("theirs.md", Watched));
        Assert.True(await _pipeline.RemoveIfOwnedAsync("ours.md", Watched));

        Assert.Equal(["theirs.md"], (await _catalog.ListAsync()).Select(r => r.Source));
        Assert.NotEmpty(_index.ChunksOf(DocumentIds.ForSource("theirs.md")));
        Assert.Empty(_index.ChunksOf(DocumentIds.ForSource("ours.md")));
    }

    private static readonly DocumentOrigin Watched = DocumentOrigin.WatchedFolder("/srv/samples");

    private static readonly DocumentOrigin Ingested = DocumentOrigin.IngestedPath("/home/me/papers");

    /// <summary>Distinct paragraphs of about 200 words, each a little under one chunk of the MiniLM limit.</summary>
    private static string[] Paragraphs(int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
            $"This is paragraph {i} of the guide. " + string.Join(' ', Enumerable.Range(0, 16).Select(j => $"Sentence {j} of part {i} says something specific about topic {i * 31 + j}.")))];

    private static SourceDocument Text(string source, IEnumerable<string> paragraphs, IReadOnlyList<string>? groups = null) =>
        Bytes(source, Encoding.UTF8.GetBytes(string.Join("\n\n", paragraphs)), groups);

    private static SourceDocument Bytes(string source, byte[] content, IReadOnlyList<string>? groups = null) =>
        new(source, groups ?? [], _ => Task.FromResult<Stream>(new MemoryStream(content, writable: false)));

    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
    }
}
