using System.Globalization;
using Microsoft.Extensions.Options;
using Ragtune.Core.Chunking;
using Ragtune.Core.Documents;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Embedded.Embeddings;
using Ragtune.Embedded.Files;

namespace Ragtune.Benchmarks;

/// <summary>
/// Ingestion throughput of the real pipeline (issue 2): SciFact abstracts, each a text file (title and abstract), ingested
/// by <see cref="IngestionPipeline.IngestManyAsync"/> as <c>ragtune ingest</c> does, with MiniLM, the SQLite index and
/// the catalog composed as the product composes them, into an empty index. Beside it, in the same run: the raw
/// throughput of the same <see cref="MiniLmEmbeddingGenerator"/> instance on exactly the same chunk texts (read and cut
/// by the same readers and chunker) in one call; and the pipeline with a stand-in embedder that costs nothing, which
/// shows the pipeline's own cost per chunk. The documents are split into rounds of equal slices; each round ingests its
/// slice and embeds the slice's texts raw, in alternating order, so that a change of load on the shared machine falls
/// on both within seconds.
/// </summary>
internal static class IngestionThroughputBenchmark
{
    private const int WarmupDocuments = 50;

    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = new Arguments(args);
        var corpus = arguments.Text("--corpus", SharedData.SciFactCorpus);
        var documentCount = arguments.Int("--documents", 400);
        var rounds = arguments.Int("--rounds", 8);
        var settings = arguments.Settings();
        if (arguments.Int("--concurrent-documents", 0) is > 0 and var concurrent)
        {
            settings["Ragtune:Ingestion:MaxConcurrentDocuments"] = concurrent.ToString(CultureInfo.InvariantCulture);
        }

        if (SharedData.Missing(corpus) is { } missing)
        {
            Console.Error.WriteLine(missing);
            return 1;
        }

        // Round r's slice in folder r; the warm-up documents apart.
        using var documents = new TemporaryDirectory("ingest-documents");
        var slices = Enumerable.Range(0, rounds + 1).Select(r => Directory.CreateDirectory(Path.Combine(documents.Path, r == rounds ? "warmup" : $"round-{r}")).FullName).ToArray();
        var abstracts = (await SharedData.ReadSciFactAsync(corpus)).Take(documentCount + WarmupDocuments).ToList();
        for (var i = 0; i < abstracts.Count; i++)
        {
            var slice = i < documentCount ? i * rounds / documentCount : rounds;
            await File.WriteAllTextAsync(Path.Combine(slices[slice], abstracts[i].Id + ".txt"), abstracts[i].IndexedText);
        }

        Console.WriteLine($"ingest benchmark: the first {documentCount} SciFact abstracts of {corpus}, each a .txt document (title + abstract), in {rounds} rounds");
        Console.WriteLine(Machine.AtStart());
        Console.WriteLine($"stack settings: {(settings.Count == 0 ? "the defaults" : string.Join(", ", settings.Select(setting => $"{setting.Key}={setting.Value}")))}");

        using var data = new TemporaryDirectory("ingest-data");
        using var standInData = new TemporaryDirectory("ingest-data-stand-in");
        await using var stack = await EmbeddedStack.StartAsync(data.Path, settings: settings);
        await using var standInStack = await EmbeddedStack.StartAsync(standInData.Path, new HashEmbeddingGenerator(), settings);
        var generator = stack.Get<MiniLmEmbeddingGenerator>();
        var byDocument = new string[slices.Length][][];
        for (var slice = 0; slice < slices.Length; slice++)
        {
            byDocument[slice] = await ChunkTextsAsync(stack, slices[slice]);
        }

        var texts = byDocument.Select(slice => slice.SelectMany(document => document).ToArray()).ToArray();
        var concurrentDocuments = stack.Get<IOptions<IngestionOptions>>().Value.MaxConcurrentDocuments;

        PrintSettings(stack, [.. texts.Take(rounds).SelectMany(slice => slice)]);

        // Warm-up: the model's sessions, the pipeline's code paths and the index's file, on documents not measured.
        await generator.LoadAsync();
        await generator.GenerateAsync(texts[rounds]);
        await MeasureRawByDocumentAsync(generator, byDocument[rounds], concurrentDocuments);
        await IngestAsync(stack, slices[rounds]);
        await IngestAsync(standInStack, slices[rounds]);

        Console.WriteLine();
        Console.WriteLine($"{"round",5} {"chunks",6} | {"pipeline/s",10} {"raw/s",7} {"ratio",6} | {"pipeline/CPU-s",14} {"raw/CPU-s",9} {"ratio",6} | {"stand-in/s",10} {"raw by doc/s",12} | load");
        var results = new List<Round>();
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which goes first.
            Rates pipeline, raw;
            if (round % 2 == 0)
            {
                pipeline = await MeasurePipelineAsync(stack, slices[round], texts[round].Length);
                raw = await MeasureRawAsync(generator, texts[round]);
            }
            else
            {
                raw = await MeasureRawAsync(generator, texts[round]);
                pipeline = await MeasurePipelineAsync(stack, slices[round], texts[round].Length);
            }

            var standIn = await MeasurePipelineAsync(standInStack, slices[round], texts[round].Length);
            var rawByDocument = await MeasureRawByDocumentAsync(generator, byDocument[round], concurrentDocuments);
            results.Add(new Round(texts[round].Length, pipeline, raw, standIn, rawByDocument));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{round + 1,5} {texts[round].Length,6} | {pipeline.PerSecond,10:F1} {raw.PerSecond,7:F1} {pipeline.PerSecond / raw.PerSecond,6:F3} | {pipeline.PerCpuSecond,14:F1} {raw.PerCpuSecond,9:F1} {pipeline.PerCpuSecond / raw.PerCpuSecond,6:F3} | {standIn.PerSecond,10:F0} {rawByDocument.PerSecond,12:F1} | {Machine.LoadAverage()}"));
        }

        Console.WriteLine();
        PrintSummary(results);
        Console.WriteLine(Machine.AtEnd());
        return 0;
    }

    private static void PrintSettings(EmbeddedStack stack, string[] texts)
    {
        var tokenizer = stack.Get<MiniLmEmbeddingGenerator>().Profile.Tokenizer;
        var miniLm = stack.Get<IOptions<MiniLmOptions>>().Value;
        var ingestion = stack.Get<IOptions<IngestionOptions>>().Value;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{texts.Length} chunks ({texts.Average(text => tokenizer.CountTokens(text)):F0} word pieces on average, {texts.Count(text => tokenizer.CountTokens(text) >= 200)} of 200 or more)"));
        Console.WriteLine($"settings: MiniLM {miniLm.Sessions} sessions x {miniLm.IntraOpThreads} thread, batch token budget {miniLm.BatchTokenBudget}; ingestion batch {ingestion.BatchSize} chunks, {ingestion.MaxConcurrentDocuments} documents at a time");
    }

    private static void PrintSummary(List<Round> results)
    {
        var chunks = results.Sum(r => r.Chunks);
        double Total(Func<Round, Rates> variant) => chunks / results.Sum(r => r.Chunks / variant(r).PerSecond);
        double TotalCpu(Func<Round, Rates> variant) => chunks / results.Sum(r => r.Chunks / variant(r).PerCpuSecond);
        var ratios = results.Select(r => r.Pipeline.PerSecond / r.Raw.PerSecond).ToList();
        var cpuRatios = results.Select(r => r.Pipeline.PerCpuSecond / r.Raw.PerCpuSecond).ToList();
        Console.WriteLine($"{"variant",-46} {"chunks/s",8} {"/CPU-s",8}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"pipeline (MiniLM, SQLite index, catalog)",-46} {Total(r => r.Pipeline),8:F1} {TotalCpu(r => r.Pipeline),8:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"raw MiniLM generator, same chunk texts",-46} {Total(r => r.Raw),8:F1} {TotalCpu(r => r.Raw),8:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"pipeline with a stand-in embedder (no model)",-46} {Total(r => r.StandIn),8:F1} {TotalCpu(r => r.StandIn),8:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"raw generator, a call a document, as many at once as the pipeline",-46} {Total(r => r.RawByDocument),8:F1} {TotalCpu(r => r.RawByDocument),8:F1}"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"pipeline / raw: {Total(r => r.Pipeline) / Total(r => r.Raw):F3} over all rounds; per round median {Statistics.Median(ratios):F3} (min {ratios.Min():F3}, max {ratios.Max():F3}); per CPU-second {TotalCpu(r => r.Pipeline) / TotalCpu(r => r.Raw):F3} (per round median {Statistics.Median(cpuRatios):F3})"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"(the stand-in pipeline's {1000 / Total(r => r.StandIn):F2} ms a chunk is the pipeline's own cost: reading, chunking, hashing, SQLite, catalog)"));
    }

    /// <summary>Every chunk's text, document by document, as the pipeline's readers and chunker cut the documents of the folder.</summary>
    private static async Task<string[][]> ChunkTextsAsync(EmbeddedStack stack, string folder)
    {
        var readers = stack.Get<DocumentReaders>();
        var chunker = stack.Get<TextChunker>();
        var texts = new List<string[]>();
        foreach (var document in new DocumentFolder(folder, readers, DocumentOriginKind.IngestedPath).List())
        {
            await using var content = await document.OpenAsync(CancellationToken.None);
            texts.Add(await chunker.ChunkAsync(readers.ReadAsync(document.Source, content)).Select(chunk => chunk.EmbeddingText).ToArrayAsync());
        }

        return [.. texts];
    }

    private static Task<IReadOnlyList<IngestionResult>> IngestAsync(EmbeddedStack stack, string folder) =>
        stack.Get<IngestionPipeline>().IngestManyAsync(new DocumentFolder(folder, stack.Get<DocumentReaders>(), DocumentOriginKind.IngestedPath).List());

    /// <summary>Ingests the folder's documents, all new to the index; chunks per second.</summary>
    private static async Task<Rates> MeasurePipelineAsync(EmbeddedStack stack, string folder, int expectedChunks)
    {
        var timing = Timing.Start();
        var results = await IngestAsync(stack, folder);
        var rates = timing.Rates(expectedChunks);

        var chunks = results.Sum(result => result.EmbeddedChunks);
        return results.All(result => result.Outcome == IngestionOutcome.Indexed) && chunks == expectedChunks
            ? rates
            : throw new InvalidOperationException($"The pipeline embedded {chunks} chunks of {results.Count(r => r.Outcome == IngestionOutcome.Indexed)} documents; expected {expectedChunks} chunks of {results.Count}.");
    }

    /// <summary>Embeds the texts in one call of the generator.</summary>
    private static async Task<Rates> MeasureRawAsync(MiniLmEmbeddingGenerator generator, string[] texts)
    {
        var timing = Timing.Start();
        var embeddings = await generator.GenerateAsync(texts);
        var rates = timing.Rates(texts.Length);
        return embeddings.Count == texts.Length ? rates : throw new InvalidOperationException("The generator returned too few embeddings.");
    }

    /// <summary>Embeds each document's texts in a call of its own, as many documents at once as the pipeline ingests.</summary>
    private static async Task<Rates> MeasureRawByDocumentAsync(MiniLmEmbeddingGenerator generator, string[][] documents, int concurrentDocuments)
    {
        var timing = Timing.Start();
        await Parallel.ForEachAsync(
            documents,
            new ParallelOptions { MaxDegreeOfParallelism = concurrentDocuments },
            async (texts, cancellationToken) => await generator.GenerateAsync(texts, cancellationToken: cancellationToken));
        return timing.Rates(documents.Sum(texts => texts.Length));
    }

    private sealed record Round(int Chunks, Rates Pipeline, Rates Raw, Rates StandIn, Rates RawByDocument);
}
