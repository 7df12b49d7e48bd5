using System.Globalization;
using Microsoft.Extensions.Options;
using Ragtune.Core.Chunking;
using Ragtune.Core.Documents;
using Ragtune.Core.Ingestion;
using Ragtune.Embedded.Embeddings;
using Ragtune.Embedded.Files;

namespace Ragtune.Benchmarks;

/// <summary>
/// Ingestion throughput of the real pipeline (issue 2): SciFact abstracts, each a text file (title and abstract), ingested
/// by <see cref="IngestionPipeline.IngestManyAsync"/> as <c>ragtune ingest</c> does, with MiniLM, the SQLite index and
/// the catalog composed as the product composes them, into an empty index. Beside it, in the same run: the raw
/// throughput of the same <see cref="MiniLmEmbeddingGenerator"/> on exactly the same chunk texts (read and cut by the same
/// readers and chunker) in one call; and the pipeline with a stand-in embedder that costs nothing, which shows the
/// pipeline's own cost per chunk. Rounds alternate which variant goes first; each round starts a fresh stack over a
/// fresh data directory.
/// </summary>
internal static class IngestionThroughputBenchmark
{
    private const int WarmupDocuments = 4;

    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = new Arguments(args);
        var corpus = arguments.Text("--corpus", SharedData.SciFactCorpus);
        var documentCount = arguments.Int("--documents", 400);
        var rounds = arguments.Int("--rounds", 3);
        if (SharedData.Missing(corpus) is { } missing)
        {
            Console.Error.WriteLine(missing);
            return 1;
        }

        using var documents = new TemporaryDirectory("ingest-documents");
        using var warmup = new TemporaryDirectory("ingest-warmup");
        var abstracts = SharedData.ReadSciFact(corpus).Take(documentCount + WarmupDocuments).ToList();
        foreach (var (document, i) in abstracts.Select((document, i) => (document, i)))
        {
            var folder = i < documentCount ? documents.Path : warmup.Path;
            await File.WriteAllTextAsync(Path.Combine(folder, document.Id + ".txt"), document.FullText);
        }

        Console.WriteLine($"ingest benchmark: the first {documentCount} SciFact abstracts of {corpus}, each a .txt document (title + abstract)");
        Console.WriteLine(Machine.AtStart());

        string[] texts;
        await using (var stack = await EmbeddedStack.StartAsync(Path.Combine(documents.Path, ".unused")))
        {
            texts = await ChunkTextsAsync(stack, documents.Path);
            var tokenizer = stack.Get<MiniLmEmbeddingGenerator>().Profile.Tokenizer;
            var miniLm = stack.Get<IOptions<MiniLmOptions>>().Value;
            var ingestion = stack.Get<IOptions<IngestionOptions>>().Value;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{texts.Length} chunks ({texts.Average(text => tokenizer.CountTokens(text)):F0} word pieces on average, {texts.Count(text => tokenizer.CountTokens(text) >= 200)} of 200 or more)"));
            Console.WriteLine($"settings (the defaults): MiniLM {miniLm.Sessions} sessions x {miniLm.IntraOpThreads} thread, batch token budget {miniLm.BatchTokenBudget}; ingestion batch {ingestion.BatchSize} chunks, {ingestion.MaxConcurrentDocuments} documents at a time");
        }

        Console.WriteLine();
        var variants = new[] { Variant.Pipeline, Variant.Raw, Variant.PipelineOverhead };
        var results = variants.ToDictionary(variant => variant, _ => new List<Rates>());
        for (var round = 0; round < rounds; round++)
        {
            // Alternate the order, so that neither variant always runs first in a round.
            foreach (var variant in round % 2 == 0 ? variants : variants.Reverse())
            {
                var rates = variant == Variant.Raw
                    ? await MeasureRawAsync(texts, warmup.Path)
                    : await MeasurePipelineAsync(documents.Path, warmup.Path, texts.Length, standIn: variant == Variant.PipelineOverhead);
                results[variant].Add(rates);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {Name(variant),-44} {rates.PerSecond,8:F1} chunks/s {rates.PerCpuSecond,8:F1} /CPU-s   load {Machine.LoadAverage()}"));
            }

            var ratio = results[Variant.Pipeline][round].PerSecond / results[Variant.Raw][round].PerSecond;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: pipeline / raw {ratio:F3}"));
        }

        Console.WriteLine();
        Print(variants, results, texts.Length);
        Console.WriteLine(Machine.AtEnd());
        return 0;
    }

    private enum Variant
    {
        Pipeline,
        Raw,
        PipelineOverhead,
    }

    private static string Name(Variant variant) => variant switch
    {
        Variant.Pipeline => "pipeline (MiniLM, SQLite index, catalog)",
        Variant.Raw => "raw MiniLM generator, same chunk texts",
        _ => "pipeline with a stand-in embedder (no model)",
    };

    /// <summary>Every chunk's text, as the pipeline's readers and chunker cut the documents of the folder.</summary>
    private static async Task<string[]> ChunkTextsAsync(EmbeddedStack stack, string folder)
    {
        var readers = stack.Get<DocumentReaders>();
        var chunker = stack.Get<TextChunker>();
        var texts = new List<string>();
        foreach (var document in new DocumentFolder(folder, readers).List())
        {
            await using var content = await document.OpenAsync(CancellationToken.None);
            await foreach (var chunk in chunker.ChunkAsync(readers.ReadAsync(document.Source, content)))
            {
                texts.Add(chunk.Text);
            }
        }

        return [.. texts];
    }

    /// <summary>Ingests the folder into a fresh index, after a warm-up ingestion of other documents; chunks per second.</summary>
    private static async Task<Rates> MeasurePipelineAsync(string folder, string warmupFolder, int expectedChunks, bool standIn)
    {
        using var data = new TemporaryDirectory("ingest-data");
        await using var stack = await EmbeddedStack.StartAsync(data.Path, standIn ? new HashEmbeddingGenerator() : null);
        var pipeline = stack.Get<IngestionPipeline>();
        var readers = stack.Get<DocumentReaders>();
        if (!standIn)
        {
            await stack.Get<MiniLmEmbeddingGenerator>().LoadAsync();
        }

        await pipeline.IngestManyAsync(new DocumentFolder(warmupFolder, readers).List());
        var documents = new DocumentFolder(folder, readers).List();

        var timing = Timing.Start();
        var results = await pipeline.IngestManyAsync(documents);
        var rates = timing.Rates(expectedChunks);

        var chunks = results.Sum(result => result.Chunks);
        if (results.Any(result => result.Outcome != IngestionOutcome.Indexed) || chunks != expectedChunks)
        {
            throw new InvalidOperationException($"The pipeline indexed {chunks} chunks of {results.Count(r => r.Outcome == IngestionOutcome.Indexed)} documents; expected {expectedChunks} chunks of {documents.Count}.");
        }

        return rates;
    }

    /// <summary>Embeds the texts in one call of the product's generator (composed the same way, warmed up the same way).</summary>
    private static async Task<Rates> MeasureRawAsync(string[] texts, string warmupFolder)
    {
        using var data = new TemporaryDirectory("ingest-data");
        await using var stack = await EmbeddedStack.StartAsync(data.Path);
        var generator = stack.Get<MiniLmEmbeddingGenerator>();
        await generator.LoadAsync();
        await generator.GenerateAsync(await ChunkTextsAsync(stack, warmupFolder));

        var timing = Timing.Start();
        var embeddings = await generator.GenerateAsync(texts);
        var rates = timing.Rates(texts.Length);
        return embeddings.Count == texts.Length ? rates : throw new InvalidOperationException("The generator returned too few embeddings.");
    }

    private static void Print(Variant[] variants, Dictionary<Variant, List<Rates>> results, int chunks)
    {
        var raw = results[Variant.Raw];
        Console.WriteLine($"{"variant",-44} {"best/s",8} {"median/s",8} {"best/CPU-s",10} {"x raw",6}  per-round x raw (median)");
        foreach (var variant in variants)
        {
            var rates = results[variant];
            var perRound = rates.Zip(raw, (rate, rawRate) => rate.PerSecond / rawRate.PerSecond).ToList();
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{Name(variant),-44} {rates.Max(r => r.PerSecond),8:F1} {Statistics.Median([.. rates.Select(r => r.PerSecond)]),8:F1} {rates.Max(r => r.PerCpuSecond),10:F1} {rates.Max(r => r.PerSecond) / raw.Max(r => r.PerSecond),6:F3}  {string.Join(' ', perRound.Select(r => r.ToString("F3", CultureInfo.InvariantCulture)))} ({Statistics.Median(perRound):F3})"));
        }

        var overhead = results[Variant.PipelineOverhead].Max(r => r.PerSecond);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"({chunks} chunks a round, {results[Variant.Raw].Count} rounds; x raw: best against best; the stand-in pipeline's {1000 / overhead:F2} ms a chunk is the pipeline's own cost without the model)"));
    }
}
