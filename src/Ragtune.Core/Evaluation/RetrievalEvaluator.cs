using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;

namespace Ragtune.Core.Evaluation;

/// <summary>
/// Measures retrieval quality on a BEIR-format data set with the product's own parts: the corpus goes through the
/// ingestion pipeline (chunker, embedding model, index) and each judged query through the index in each mode. A
/// document ranks where its best chunk ranks (a chunk list is cut to its first chunk of each document), and every
/// search returns enough chunks for 100 distinct documents in practice.
/// </summary>
public sealed class RetrievalEvaluator(
    IngestionPipeline pipeline,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    IChunkIndex index)
{
    /// <summary>Documents ranked for each query: enough for Recall@100.</summary>
    public const int RankedDocuments = RetrievalScores.DeepRecallCut;

    /// <summary>Chunks asked of the index per document wanted, so that documents of several chunks still leave 100 distinct ones.</summary>
    public const int ChunksPerDocument = 3;

    private const string SourcePrefix = "corpus/";
    private const int Parallelism = 2;

    /// <summary>
    /// Makes the index hold the corpus: ingests new and changed documents (unchanged ones cost nothing, so a kept index
    /// is reused) and removes the other documents of <paramref name="origin"/> (documents of other origins stay). Each
    /// document is one Markdown file, its title a heading above its text (<see cref="BeirDocument.MarkdownText"/>).
    /// </summary>
    public async Task<IndexedCorpus> IndexAsync(
        DocumentOrigin origin,
        IReadOnlyList<BeirDocument> documents,
        IProgress<IngestionProgress>? progress = null,
        IProgress<IngestionResult>? completed = null,
        CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var idBySource = new Dictionary<string, string>(StringComparer.Ordinal);
        var sources = new List<SourceDocument>(documents.Count);
        foreach (var document in documents)
        {
            var source = DocumentIds.NormalizeSource($"{SourcePrefix}{document.Id}.md");
            if (!idBySource.TryAdd(source, document.Id))
            {
                throw new InvalidDataException($"The corpus has two documents with the id {document.Id}.");
            }

            var bytes = Encoding.UTF8.GetBytes(document.MarkdownText);
            sources.Add(new SourceDocument(source, [], _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false))));
        }

        var synchronized = await pipeline.SynchronizeAsync(origin, sources, progress, completed, cancellationToken);
        return new IndexedCorpus(idBySource, synchronized.Ingested, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Runs every query that has a relevant document in <paramref name="judgments"/> in each mode and scores the rankings.</summary>
    public async Task<RetrievalEvaluation> EvaluateAsync(
        IndexedCorpus corpus,
        IReadOnlyList<BeirQuery> queries,
        RelevanceJudgments judgments,
        IReadOnlyList<SearchMode> modes,
        int k,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, RankedDocuments);
        var judged = queries.Where(query => judgments.HasRelevant(query.Id)).ToList();

        var embeddingStarted = Stopwatch.GetTimestamp();
        var vectors = judged.Count == 0 ? [] : await embeddings.GenerateAsync(judged.Select(query => query.Text), cancellationToken: cancellationToken);
        var embeddingTime = Stopwatch.GetElapsedTime(embeddingStarted);

        var results = new List<ModeEvaluation>(modes.Count);
        foreach (var mode in modes)
        {
            var started = Stopwatch.GetTimestamp();
            var scores = new RetrievalScores[judged.Count];
            var similarities = new ConcurrentBag<(float Similarity, bool Relevant)>();
            await Parallel.ForEachAsync(
                Enumerable.Range(0, judged.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    var grades = judgments.For(judged[i].Id);
                    var hits = await index.SearchAsync(
                        new ChunkQuery(mode, judged[i].Text, vectors[i].Vector, RankedDocuments * ChunksPerDocument, ChunkFilter.Unrestricted),
                        token);
                    scores[i] = RankingMetrics.Score(corpus.RankDocuments(hits, RankedDocuments), grades, k);
                    foreach (var hit in hits.Take(k))
                    {
                        var relevant = corpus.TryGetDocumentId(hit.Chunk.Source, out var id) && grades.GetValueOrDefault(id) > 0;
                        similarities.Add((hit.Similarity, relevant));
                    }

                    progress?.Report(1);
                });

            results.Add(new ModeEvaluation(
                mode,
                RetrievalScores.Mean(scores),
                SimilarityCalibration.From(similarities),
                Stopwatch.GetElapsedTime(started)));
        }

        return new RetrievalEvaluation(k, judged.Count, results, embeddingTime);
    }
}

/// <summary>A corpus as indexed: which source holds which corpus document, and how each ingestion went.</summary>
public sealed class IndexedCorpus(IReadOnlyDictionary<string, string> idBySource, IReadOnlyList<IngestionResult> results, TimeSpan elapsed)
{
    /// <summary>Every document's ingestion result, in corpus order.</summary>
    public IReadOnlyList<IngestionResult> Results { get; } = results;

    /// <summary>How long indexing took.</summary>
    public TimeSpan Elapsed { get; } = elapsed;

    /// <summary>Chunks in the index.</summary>
    public int Chunks => Results.Sum(result => result.Chunks);

    /// <summary>Chunks embedded by this run (zero when every document was already indexed).</summary>
    public int EmbeddedChunks => Results.Sum(result => result.EmbeddedChunks);

    public bool TryGetDocumentId(string source, out string documentId) => idBySource.TryGetValue(source, out documentId!);

    /// <summary>The corpus ids of the documents of <paramref name="hits"/>, each where its best chunk ranks, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<string> RankDocuments(IEnumerable<ChunkHit> hits, int limit)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ranking = new List<string>(limit);
        foreach (var hit in hits)
        {
            if (ranking.Count == limit)
            {
                break;
            }

            if (TryGetDocumentId(hit.Chunk.Source, out var id) && seen.Add(id))
            {
                ranking.Add(id);
            }
        }

        return ranking;
    }
}

/// <summary>What an evaluation measured: the cut k, how many queries were judged, and each mode's scores.</summary>
public sealed record RetrievalEvaluation(int K, int Queries, IReadOnlyList<ModeEvaluation> Modes, TimeSpan QueryEmbeddingTime);

/// <summary>One mode's mean scores and the cosine similarities of its top-k chunks.</summary>
public sealed record ModeEvaluation(
    SearchMode Mode,
    RetrievalScores Scores,
    SimilarityCalibration Similarities,
    TimeSpan SearchTime);
