using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ragtune.Core;
using Ragtune.Core.Evaluation;
using Ragtune.Core.Index;
using Ragtune.Embedded;
using Ragtune.Embedded.Embeddings;

namespace Ragtune.Benchmarks;

/// <summary>
/// Retrieval tuning over a kept evaluation index (<c>ragtune eval ... --index DIR</c>): each variant is a set of
/// configuration settings (hybrid fusion, keyword search), evaluated with <see cref="RetrievalEvaluator"/> exactly as
/// <c>ragtune eval</c> does, over the same index and the same query vectors (embedded once). Tune on train; run the
/// chosen variants once on test.
/// </summary>
internal static class FusionTuningBenchmark
{
    private static readonly Variant[] Grid =
    [
        new("vector", [SearchMode.Vector], []),
        new("keyword", [SearchMode.Keyword], []),
        new("keyword, no common-term cutoff", [SearchMode.Keyword], [("Ragtune:Storage:CommonTermChunks", "1000000")]),
        .. new[] { 5, 10, 20, 30, 40, 60, 100 }.Select(k => Rrf(k, 1.0)),
        .. new[] { 0.5, 0.7, 0.85, 1.2, 1.5, 2.0 }.Select(weight => Rrf(60, weight)),
        .. new[] { 0.3, 0.4, 0.5, 0.6, 0.7 }.Select(Normalized),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var index = Value(args, "--index");
        var data = Value(args, "--data") ?? Path.Combine("..", "shared", "data", "scifact");
        var split = Value(args, "--split") ?? "train";
        if (index is null || !Directory.Exists(data))
        {
            Console.Error.WriteLine("usage: fusion --index DIR [--data ../shared/data/scifact] [--split train|test] [--variant \"name|Key=Value,Key=Value\"]...");
            return 2;
        }

        var variants = args.Select((arg, i) => (arg, i)).Where(p => p.arg == "--variant" && p.i + 1 < args.Length).Select(p => ParseVariant(args[p.i + 1])).ToList();
        var documents = await ToListAsync(BeirDataSet.ReadCorpusAsync(Path.Combine(data, "corpus.jsonl")));
        var queries = await ToListAsync(BeirDataSet.ReadQueriesAsync(Path.Combine(data, "queries.jsonl")));
        var judgments = await BeirDataSet.ReadJudgmentsAsync(Path.Combine(data, "qrels", split + ".tsv"));
        var judged = queries.Where(q => judgments.HasRelevant(q.Id)).ToList();

        using var model = new MiniLmEmbeddingGenerator();
        var embedding = Stopwatch.StartNew();
        var vectors = await model.GenerateAsync(judged.Select(q => q.Text));
        var cache = new PrecomputedEmbeddings(judged.Select((q, i) => (q.Text, vectors[i])), model);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{split}: {judged.Count} judged queries embedded in {embedding.Elapsed.TotalSeconds:N1} s; index {index}"));
        Console.WriteLine("variant                                         | nDCG@10 | R@10  | R@100 | MRR@10");

        IndexedCorpus? corpus = null;
        foreach (var variant in variants.Count > 0 ? variants : [.. Grid])
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Configuration.AddInMemoryCollection([new("Ragtune:Storage:DataDirectory", index), .. variant.Settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))]);
            builder.Services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(cache);
            builder.Services.AddRagtuneCore();
            builder.Services.AddRagtuneEmbedded();
            using var host = builder.Build();
            var evaluator = Value(args, "--prf") is { } prf
                ? new RetrievalEvaluator(
                    host.Services.GetRequiredService<Core.Ingestion.IngestionPipeline>(),
                    cache,
                    new FeedbackIndex(host.Services.GetRequiredService<IChunkIndex>(), prf))
                : host.Services.GetRequiredService<RetrievalEvaluator>();

            // The first variant checks that the index holds the corpus (and indexes what is missing); the rest reuse it.
            corpus ??= await evaluator.IndexAsync(DocumentOrigin.IngestedPath(Path.Combine(data, "corpus.jsonl")), documents);
            var evaluation = await evaluator.EvaluateAsync(corpus, queries, judgments, variant.Modes, 10);
            foreach (var mode in evaluation.Modes)
            {
                var s = mode.Scores;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variant.Name,-47} | {s.Ndcg:F4}  | {s.Recall:F3} | {s.DeepRecall:F3} | {s.ReciprocalRank:F4}"));
            }
        }

        return 0;
    }

    private static Variant Rrf(int k, double keywordWeight) => new(
        string.Create(CultureInfo.InvariantCulture, $"hybrid RRF k={k} keyword weight {keywordWeight}"),
        [SearchMode.Hybrid],
        [("Ragtune:Storage:HybridFusion", "ReciprocalRank"), ("Ragtune:Storage:RankFusionK", k.ToString(CultureInfo.InvariantCulture)), ("Ragtune:Storage:KeywordWeight", keywordWeight.ToString(CultureInfo.InvariantCulture))]);

    private static Variant Normalized(double vectorWeight) => new(
        string.Create(CultureInfo.InvariantCulture, $"hybrid normalized vector {vectorWeight} keyword {1 - vectorWeight:0.0}"),
        [SearchMode.Hybrid],
        [("Ragtune:Storage:HybridFusion", "NormalizedScore"), ("Ragtune:Storage:VectorWeight", vectorWeight.ToString(CultureInfo.InvariantCulture)), ("Ragtune:Storage:KeywordWeight", (1 - vectorWeight).ToString(CultureInfo.InvariantCulture))]);

    /// <summary>"name|Key=Value,Key=Value": hybrid with those settings (a key without ':' is of Ragtune:Storage; Mode=vector|keyword|hybrid|all picks the modes).</summary>
    private static Variant ParseVariant(string text)
    {
        var parts = text.Split('|', 2);
        var settings = parts.Length < 2 ? [] : parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => s.Split('=', 2)).Select(kv => (kv[0], kv[1])).ToList();
        var mode = settings.FirstOrDefault(s => s.Item1 == "Mode").Item2 ?? "hybrid";
        IReadOnlyList<SearchMode> modes = mode == "all" ? [SearchMode.Vector, SearchMode.Keyword, SearchMode.Hybrid] : [Enum.Parse<SearchMode>(mode, ignoreCase: true)];
        return new Variant(parts[0], modes, [.. settings.Where(s => s.Item1 != "Mode").Select(s => (s.Item1.Contains(':', StringComparison.Ordinal) ? s.Item1 : "Ragtune:Storage:" + s.Item1, s.Item2))]);
    }

    private static string? Value(string[] args, string name) => Array.IndexOf(args, name) is var i && i >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>
    /// Experiment (--prf K:ALPHA): pseudo-relevance feedback, Rocchio on the query vector. A first search of the same mode
    /// takes its top K chunks; the query vector plus ALPHA times their mean vector, made unit length, is searched again.
    /// </summary>
    private sealed class FeedbackIndex(IChunkIndex inner, string setting) : IChunkIndex
    {
        private readonly int _k = int.Parse(setting.Split(':')[0], CultureInfo.InvariantCulture);
        private readonly float _alpha = float.Parse(setting.Split(':')[1], CultureInfo.InvariantCulture);

        public async Task<IReadOnlyList<ChunkHit>> SearchAsync(ChunkQuery query, CancellationToken cancellationToken = default)
        {
            var first = await inner.SearchAsync(query with { Top = _k }, cancellationToken);
            var vector = query.Vector.ToArray();
            foreach (var hit in first)
            {
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(hit.Chunk.Vector.Span, _alpha / _k, vector, vector);
            }

            System.Numerics.Tensors.TensorPrimitives.Divide(vector, System.Numerics.Tensors.TensorPrimitives.Norm(vector), vector);
            return await inner.SearchAsync(query with { Vector = vector }, cancellationToken);
        }

        public Task<IChunkReplacement> BeginReplaceAsync(string documentId, CancellationToken cancellationToken = default) => inner.BeginReplaceAsync(documentId, cancellationToken);

        public Task DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default) => inner.DeleteDocumentAsync(documentId, cancellationToken);

        public Task<IReadOnlyDictionary<string, ReadOnlyMemory<float>>> GetEmbeddingsAsync(string documentId, CancellationToken cancellationToken = default) =>
            inner.GetEmbeddingsAsync(documentId, cancellationToken);
    }

    private sealed record Variant(string Name, IReadOnlyList<SearchMode> Modes, IReadOnlyList<(string Key, string Value)> Settings);

    /// <summary>The query vectors embedded once, shared by every variant; other texts go to the model.</summary>
    private sealed class PrecomputedEmbeddings(IEnumerable<(string Text, Embedding<float> Embedding)> known, IEmbeddingGenerator<string, Embedding<float>> model)
        : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly Dictionary<string, Embedding<float>> _known = known.DistinctBy(k => k.Text).ToDictionary(k => k.Text, k => k.Embedding, StringComparer.Ordinal);

        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var texts = values.ToList();
            var missing = texts.Where(text => !_known.ContainsKey(text)).Distinct(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                var generated = await model.GenerateAsync(missing, options, cancellationToken);
                for (var i = 0; i < missing.Count; i++)
                {
                    _known[missing[i]] = generated[i];
                }
            }

            return [.. texts.Select(text => _known[text])];
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => model.GetService(serviceType, serviceKey);

        public void Dispose()
        {
            // The model is owned by the benchmark.
        }
    }
}
