using System.Globalization;
using Microsoft.Extensions.AI;
using Ragtune.Core.Evaluation;
using Ragtune.Core.Index;
using Ragtune.Core.Retrieval;
using Ragtune.Embedded.Embeddings;

namespace Ragtune.Benchmarks;

/// <summary>
/// Retrieval latency (issue 3): top-10 hybrid through Core's <see cref="Retriever"/> over the synthetic 100k-chunk index
/// of the search benchmark, composed as the product composes it, beside a raw exact scan of the same vectors, query by
/// query in the same run. The question's embedding is timed apart: in the interleaved rounds the Retriever gets each
/// question's vector from a stand-in that hands back the query's preset random vector (the index is random vectors
/// with made-up words, so MiniLM's vector of those words would mean nothing), and MiniLM's own time on realistic
/// questions (SciFact claims, Contoso questions) is measured after, one question a call as the Retriever asks.
/// </summary>
internal static class RetrievalLatencyBenchmark
{
    private const int Top = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = new Arguments(args);
        var chunks = arguments.Int("--chunks", 100_000);
        var queries = arguments.Int("--queries", 200);
        var questionsPath = arguments.Text("--questions", SharedData.SciFactQueriesBeside(SharedData.SciFactCorpus));
        if (SharedData.Missing(questionsPath, SharedData.ContosoGroundTruth) is { } missing)
        {
            Console.Error.WriteLine(missing);
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"latency benchmark: {chunks:N0} synthetic chunks of {MiniLmModel.Dimensions} dimensions, {queries} queries, top {Top} hybrid through the Retriever (threshold off)"));
        Console.WriteLine(Machine.AtStart());

        using var data = new TemporaryDirectory("latency");
        var presets = new Dictionary<string, float[]>(StringComparer.Ordinal);
        SyntheticCorpus corpus;
        await using (var stack = await EmbeddedStack.StartAsync(data.Path, new HashEmbeddingGenerator(presets)))
        {
            var index = stack.Get<IChunkIndex>();
            var retriever = stack.Get<Retriever>();
            var candidates = Top * stack.Get<Microsoft.Extensions.Options.IOptions<RetrievalOptions>>().Value.CandidatesPerResult;
            var timing = Timing.Start();
            corpus = await SyntheticCorpus.WriteAsync(index, chunks, MiniLmModel.Dimensions, new Random(42));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"built the index in {timing.Wall.TotalSeconds:0.0} s"));

            var cases = new Func<float[], string, Task>[]
            {
                (q, _) => Task.FromResult(corpus.RawScan(q, 1, Top)),
                (q, _) => Task.FromResult(corpus.RawScan(q, 2, Top)),
                (q, t) => index.SearchAsync(new ChunkQuery(SearchMode.Hybrid, t, q, candidates, ChunkFilter.Unrestricted)),
                (q, t) =>
                {
                    presets[t] = q;
                    return retriever.RetrieveAsync(new RetrievalRequest(t, SearchMode.Hybrid, Top, -1f, ChunkFilter.Unrestricted));
                },
            };
            string[] names = ["raw scan, 1 thread", "raw scan, 2 threads", $"index hybrid, top {candidates}", $"Retriever hybrid, top {Top}"];
            foreach (var (label, text) in corpus.QuestionKinds)
            {
                Console.WriteLine();
                Console.WriteLine(label + ":");
                LatencyRounds.Report(names, await LatencyRounds.MeasureAsync(cases, queries, corpus.Dimensions, text));
            }
        }

        Console.WriteLine($"(the Retriever asks the index for top x {nameof(RetrievalOptions.CandidatesPerResult)} candidates, then applies the threshold; the stand-in's lookup of the preset vector is included)");
        await MeasureEmbeddingAsync(questionsPath);
        Console.WriteLine(Machine.AtEnd());
        return 0;
    }

    /// <summary>MiniLM's time to embed one realistic question, as the Retriever asks it (one question a call).</summary>
    private static async Task MeasureEmbeddingAsync(string questionsPath)
    {
        string[] questions =
        [
            .. SharedData.ReadTexts(questionsPath).Take(150),
            .. (await AnswerEvaluator.ReadGroundTruthAsync(SharedData.ContosoGroundTruth)).Select(q => q.Question),
        ];
        using var data = new TemporaryDirectory("latency-embedding");
        await using var stack = await EmbeddedStack.StartAsync(data.Path);
        var generator = stack.Get<IEmbeddingGenerator<string, Embedding<float>>>();
        var tokenizer = stack.Get<MiniLmEmbeddingGenerator>().Profile.Tokenizer;
        await stack.Get<MiniLmEmbeddingGenerator>().LoadAsync();
        foreach (var question in questions.Take(LatencyRounds.WarmupQueries))
        {
            await generator.GenerateVectorAsync(question);
        }

        var timings = new List<double>();
        foreach (var question in questions)
        {
            var timing = Timing.Start();
            await generator.GenerateVectorAsync(question);
            timings.Add(timing.Wall.TotalMilliseconds);
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"question embedding (MiniLM, {questions.Length} questions: 150 SciFact claims and the Contoso ground truth, {questions.Average(q => tokenizer.CountTokens(q)):F0} word pieces on average):"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  p50 {Statistics.Median(timings):0.00} ms   p99 {Statistics.Percentile(timings, 0.99):0.00} ms   mean {timings.Average():0.00} ms"));
    }
}
