using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.Chunking;
using Ragtune.Core.Documents;
using Ragtune.Core.Embeddings;
using Ragtune.Core.Index;
using Ragtune.Core.Telemetry;

namespace Ragtune.Core.Ingestion;

/// <summary>
/// Read, chunk, embed, upsert: one document at a time, in bounded batches, all or nothing.
/// Re-ingesting unchanged content does nothing; a changed document embeds only chunks whose text is new and leaves
/// none of its old chunks behind; a document that cannot be read fails alone and leaves the index as it was.
/// </summary>
public sealed class IngestionPipeline(
    DocumentReaders readers,
    TextChunker chunker,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    EmbeddingModelProfile embeddingModel,
    IChunkIndex index,
    IDocumentCatalog catalog,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    RagtuneMetrics metrics,
    ILogger<IngestionPipeline> logger)
{
    private readonly IngestionOptions _options = options.Value;

    /// <summary>True when the path names a document that can be ingested (not a sidecar, a supported type).</summary>
    public bool CanIngest(string path) => readers.IsSupported(path);

    /// <summary>
    /// Ingests one document and reports how it went; only cancellation throws. Traced as a span
    /// <see cref="RagtuneTelemetry.Spans.Ingest"/> (read, then chunk, embed and write per batch) and counted in
    /// <see cref="RagtuneMetrics"/>, by the document's id, never its path.
    /// </summary>
    public async Task<IngestionResult> IngestAsync(
        SourceDocument document, IProgress<IngestionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var source = DocumentIds.NormalizeSource(document.Source);
        var documentId = DocumentIds.ForSource(source);
        using var span = RagtuneTelemetry.StartSpan(RagtuneTelemetry.Spans.Ingest);
        span?.SetTag(RagtuneTelemetry.Tags.DocumentId, documentId);
        var result = await IngestDocumentAsync(document, source, documentId, progress, cancellationToken);
        IngestionTelemetry.Record(span, metrics, result);
        return result;
    }

    private async Task<IngestionResult> IngestDocumentAsync(
        SourceDocument document, string source, string documentId, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        var groups = AccessScope.ForGroups(document.Groups).Groups;
        DocumentRecord? previous = null;
        string? contentHash = null;
        try
        {
            previous = await catalog.FindAsync(documentId, cancellationToken);
            if (previous is not null && document.Version is not null && previous.SourceVersion == document.Version && SameCut(previous, groups))
            {
                return await UnchangedAsync(previous, document, cancellationToken);
            }

            var read = await DocumentContent.ReadAsync(document, cancellationToken);
            await using var content = read.Content;
            contentHash = read.Hash;
            if (previous is not null && previous.ContentHash == contentHash && SameCut(previous, groups))
            {
                return await UnchangedAsync(previous, document, cancellationToken);
            }

            if (content.Length > _options.MaxDocumentBytes)
            {
                throw new DocumentReadException(
                    source,
                    DocumentReadFailure.TooLarge,
                    string.Create(CultureInfo.InvariantCulture, $"the file is larger than {_options.MaxDocumentBytes / (1024 * 1024)} MB (Ragtune:Ingestion:MaxDocumentBytes)"));
            }

            DocumentRecord RecordOf(int chunks) =>
                new(documentId, source, read.Hash, DocumentStatus.Indexed, chunks, time.GetUtcNow(), groups, Error: null, document.Version, document.Origin, chunker.Fingerprint);
            var written = await ReplaceChunksAsync(source, documentId, groups, content, previous is not null, RecordOf, progress, cancellationToken);
            Log.DocumentIndexed(logger, source, written.Chunks, written.Embedded);
            return new IngestionResult(documentId, source, IngestionOutcome.Indexed, written.Chunks, written.Embedded);
        }
        catch (DocumentReadException exception)
        {
            Log.DocumentUnreadable(logger, source, exception.Failure, exception.Reason);
            var failed = new DocumentRecord(
                documentId, source, contentHash ?? string.Empty, DocumentStatus.Failed, previous?.Chunks ?? 0, time.GetUtcNow(), groups, exception.Reason, document.Version, document.Origin, chunker.Fingerprint);
            await catalog.SaveAsync(failed, cancellationToken);
            return new IngestionResult(documentId, source, IngestionOutcome.PermanentFailure, failed.Chunks, 0, exception.Reason, exception);
        }
        catch (Exception exception) when (StorageFullException.IsCause(exception))
        {
            // Every later write would fail the same way: the whole run stops (IngestManyAsync), with one line from the host.
            Log.DocumentStoppedByFullDisk(logger, source, exception);
            throw exception as StorageFullException ?? new StorageFullException(exception);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Embedding service, index or storage failed (or the file vanished while being read): the previous
            // version is intact and a later attempt may succeed. The host decides whether to retry.
            var reason = exception is DependencyUnavailableException unavailable
                ? $"{unavailable.Dependency} unavailable ({unavailable.Failure}); will be retried"
                : "ingestion failed; will be retried";
            Log.DocumentIngestionFailed(logger, source, reason);
            Log.DocumentIngestionException(logger, source, exception);
            return new IngestionResult(documentId, source, IngestionOutcome.TransientFailure, previous?.Chunks ?? 0, 0, reason, exception);
        }
    }

    /// <summary>
    /// Ingests many documents, several at a time so that small documents keep every embedding worker busy.
    /// Results come back in the order of <paramref name="documents"/>; <paramref name="completed"/> hears of each as it ends.
    /// The first full disk stops the run: the documents in progress are abandoned (nothing of them is written) and
    /// none is started; <see cref="StorageFullException.NotIngested"/> says how many documents were not ingested.
    /// </summary>
    /// <exception cref="StorageFullException">The disk of the index or catalog is full.</exception>
    public async Task<IReadOnlyList<IngestionResult>> IngestManyAsync(
        IReadOnlyList<SourceDocument> documents,
        IProgress<IngestionProgress>? progress = null,
        IProgress<IngestionResult>? completed = null,
        CancellationToken cancellationToken = default)
    {
        var results = new IngestionResult?[documents.Count];
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, documents.Count),
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentDocuments, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    var result = await IngestAsync(documents[i], progress, token);
                    results[i] = result;
                    completed?.Report(result);
                });
        }
        catch (Exception exception) when (StorageFullException.IsCause(exception))
        {
            throw new StorageFullException(exception, results.Count(r => r is not { Succeeded: true }));
        }

        return results!;
    }

    /// <summary>
    /// Makes the index match a complete listing of the documents of one origin that exist now: ingests new and changed
    /// ones (each recorded with <paramref name="origin"/>, adopting a document of the same source from another origin)
    /// and removes the documents of <paramref name="origin"/> whose source is gone (deletes trigger nothing in blob
    /// storage, and a watcher can miss them). Documents of other origins are never removed here; the result counts them.
    /// <paramref name="completed"/> hears of each document as it ends, unchanged ones included. A full disk stops it
    /// before anything is removed (<see cref="StorageFullException"/>).
    /// </summary>
    public async Task<SynchronizationResult> SynchronizeAsync(
        DocumentOrigin origin,
        IReadOnlyList<SourceDocument> current,
        IProgress<IngestionProgress>? progress = null,
        IProgress<IngestionResult>? completed = null,
        CancellationToken cancellationToken = default)
    {
        var ingested = await IngestManyAsync([.. current.Select(d => d with { Origin = origin })], progress, completed, cancellationToken);
        var present = current.Select(d => DocumentIds.ForSource(d.Source)).ToHashSet(StringComparer.Ordinal);
        var removed = new List<string>();
        var others = new Dictionary<DocumentOrigin, int>();
        foreach (var record in await catalog.ListAsync(cancellationToken))
        {
            if (record.Origin != origin)
            {
                others[record.Origin] = others.GetValueOrDefault(record.Origin) + (present.Contains(record.DocumentId) ? 0 : 1);
            }
            else if (!present.Contains(record.DocumentId))
            {
                await RemoveAsync(record.Source, cancellationToken);
                removed.Add(record.Source);
            }
        }

        return new SynchronizationResult(
            ingested, removed, [.. others.Where(o => o.Value > 0).Select(o => new OriginCount(o.Key, o.Value)).OrderByDescending(o => o.Documents)]);
    }

    /// <summary>Removes a document's chunks and its catalog record. Removing an unknown source does nothing.</summary>
    public async Task RemoveAsync(string source, CancellationToken cancellationToken = default)
    {
        var normalized = DocumentIds.NormalizeSource(source);
        var documentId = DocumentIds.ForSource(normalized);
        await index.DeleteDocumentAsync(documentId, cancellationToken);
        await catalog.DeleteAsync(documentId, cancellationToken);
        Log.DocumentRemoved(logger, normalized);
    }

    /// <summary>
    /// Removes a document whose source is gone from <paramref name="origin"/>, if the catalog records it as that origin's
    /// (or not at all, for chunks a crash left without a record). A document another origin ingested stays.
    /// </summary>
    /// <returns>False when the document stays because another origin owns it.</returns>
    public async Task<bool> RemoveIfOwnedAsync(string source, DocumentOrigin origin, CancellationToken cancellationToken = default)
    {
        var normalized = DocumentIds.NormalizeSource(source);
        var record = await catalog.FindAsync(DocumentIds.ForSource(normalized), cancellationToken);
        if (record is not null && record.Origin != origin)
        {
            Log.DocumentKept(logger, normalized, record.Origin);
            return false;
        }

        await RemoveAsync(normalized, cancellationToken);
        return true;
    }

    private async Task<(int Chunks, int Embedded)> ReplaceChunksAsync(
        string source,
        string documentId,
        IReadOnlyList<string> groups,
        Stream content,
        bool mayHaveEmbeddings,
        Func<int, DocumentRecord> recordOf,
        IProgress<IngestionProgress>? progress,
        CancellationToken cancellationToken)
    {
        // The previous version's embeddings, by content hash: only chunks whose text is new are embedded again.
        var previous = mayHaveEmbeddings
            ? await index.GetEmbeddingsAsync(documentId, cancellationToken)
            : new Dictionary<string, ReadOnlyMemory<float>>(StringComparer.Ordinal);

        var chunks = chunker.ChunkAsync(readers.ReadAsync(source, content, cancellationToken), cancellationToken);
        await using var pending = chunks.GetAsyncEnumerator(cancellationToken);
        IChunkReplacement? replacement = null;
        try
        {
            var total = 0;
            var embedded = 0;
            while (await NextBatchAsync(pending, _options.BatchSize) is { Count: > 0 } batch)
            {
                // Vectors are kept for one batch only, so memory does not grow with the document.
                var hashes = batch.Select(chunk => DocumentIds.ContentHash(chunk.EmbeddingText)).ToList();
                var vectors = await EmbedBatchAsync(batch, hashes, previous, cancellationToken);
                embedded += vectors.Embedded;
                using var write = RagtuneTelemetry.StartSpan(RagtuneTelemetry.Spans.Write);
                write?.SetTag(RagtuneTelemetry.Tags.Chunks, batch.Count);
                var rows = batch.Select((chunk, i) => new IndexChunk(
                    DocumentIds.ForChunk(documentId, chunk.Ordinal),
                    documentId,
                    chunk.Ordinal,
                    source,
                    chunk.Page,
                    chunk.Text,
                    hashes[i],
                    groups,
                    vectors.ByHash[hashes[i]],
                    chunk.Section,
                    chunk.LastPage)).ToList();

                // Begin only once the first batch is embedded, so the index's writer is held for writing, not for
                // the embedding of small documents.
                replacement ??= await index.BeginReplaceAsync(documentId, cancellationToken);
                await replacement.AddAsync(rows, cancellationToken);
                total += rows.Count;
                progress?.Report(new IngestionProgress(source, rows.Count));
            }

            using var commit = RagtuneTelemetry.StartSpan(RagtuneTelemetry.Spans.Write);
            replacement ??= await index.BeginReplaceAsync(documentId, cancellationToken);

            // The chunks and the record that lists them together: on a full disk, neither (where the store holds both).
            await catalog.CommitAsync(replacement, recordOf(total), cancellationToken);
            return (total, embedded);
        }
        catch (Exception exception) when (RagtuneTelemetry.RecordFailure(Activity.Current, exception))
        {
            // Never entered: the filter marks the step that failed (the current span, not yet ended) and lets it go on.
            throw;
        }
        finally
        {
            if (replacement is not null)
            {
                await replacement.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The vectors of a batch's texts by content hash: the previous version's where it had the text, else new ones (each
    /// distinct text embedded once); and how many were embedded.
    /// </summary>
    private async Task<(Dictionary<string, ReadOnlyMemory<float>> ByHash, int Embedded)> EmbedBatchAsync(
        List<TextChunk> batch,
        List<string> hashes,
        IReadOnlyDictionary<string, ReadOnlyMemory<float>> previous,
        CancellationToken cancellationToken)
    {
        using var span = RagtuneTelemetry.StartSpan(RagtuneTelemetry.Spans.Embed);
        var vectors = new Dictionary<string, ReadOnlyMemory<float>>(StringComparer.Ordinal);
        var missing = new List<(string Hash, string Text)>();
        var requested = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            if (previous.TryGetValue(hashes[i], out var vector))
            {
                vectors[hashes[i]] = vector;
            }
            else if (requested.Add(hashes[i]))
            {
                missing.Add((hashes[i], batch[i].EmbeddingText));
            }
        }

        span?.SetTag(RagtuneTelemetry.Tags.Chunks, batch.Count);
        span?.SetTag(RagtuneTelemetry.Tags.EmbeddedChunks, missing.Count);
        if (missing.Count == 0)
        {
            return (vectors, 0);
        }

        GeneratedEmbeddings<Embedding<float>> generated;
        try
        {
            generated = await embeddings.GenerateAsync(missing.Select(item => item.Text), cancellationToken: cancellationToken);
        }
        catch (Exception exception) when (RagtuneTelemetry.RecordFailure(span, exception))
        {
            throw;
        }

        if (generated.Count != missing.Count)
        {
            throw new InvalidOperationException($"The embedding generator returned {generated.Count} embeddings for {missing.Count} inputs.");
        }

        for (var i = 0; i < missing.Count; i++)
        {
            var vector = generated[i].Vector;
            if (vector.Length != embeddingModel.Dimensions)
            {
                throw new InvalidOperationException(
                    $"The embedding model returned {vector.Length} dimensions; {embeddingModel.ModelId} is configured with {embeddingModel.Dimensions}.");
            }

            vectors[missing[i].Hash] = vector;
        }

        return (vectors, missing.Count);
    }

    /// <summary>The next batch of chunks, in a chunk span (a failing reader or chunker marks it before it ends).</summary>
    private static async Task<List<TextChunk>> NextBatchAsync(IAsyncEnumerator<TextChunk> chunks, int size)
    {
        using var span = RagtuneTelemetry.StartSpan(RagtuneTelemetry.Spans.Chunk);
        var batch = new List<TextChunk>(size);
        try
        {
            while (batch.Count < size && await chunks.MoveNextAsync())
            {
                batch.Add(chunks.Current);
            }
        }
        catch (Exception exception) when (RagtuneTelemetry.RecordFailure(span, exception))
        {
            throw;
        }

        span?.SetTag(RagtuneTelemetry.Tags.Chunks, batch.Count);
        return batch;
    }

    /// <summary>
    /// True when the previous version would be cut and filed as this one is: the same groups, and the chunking it was cut
    /// with is the chunker's (a record from before a change of chunking, or of its settings, is ingested again once).
    /// </summary>
    private bool SameCut(DocumentRecord previous, IReadOnlyList<string> groups) =>
        previous.Groups.SequenceEqual(groups, StringComparer.Ordinal) && previous.Chunking == chunker.Fingerprint;

    /// <summary>
    /// Nothing to read or embed. Same bytes under a new version (re-uploaded, metadata touched) are remembered, so the
    /// next run reads nothing; a document recorded from another origin is adopted by this one.
    /// </summary>
    private async Task<IngestionResult> UnchangedAsync(DocumentRecord previous, SourceDocument document, CancellationToken cancellationToken)
    {
        var current = previous with { SourceVersion = document.Version ?? previous.SourceVersion, Origin = document.Origin };
        if (current != previous)
        {
            await catalog.SaveAsync(current, cancellationToken);
        }

        return Unchanged(current);
    }

    private IngestionResult Unchanged(DocumentRecord previous)
    {
        Log.DocumentUnchanged(logger, previous.Source);
        var outcome = previous.Status == DocumentStatus.Indexed ? IngestionOutcome.Unchanged : IngestionOutcome.PermanentFailure;
        return new IngestionResult(previous.DocumentId, previous.Source, outcome, previous.Chunks, 0, previous.Error);
    }
}
