using Ragtune.Benchmarks;

return args.FirstOrDefault() switch
{
    "embedding" => await EmbeddingThroughputBenchmark.RunAsync(args[1..]),
    "search" => await SearchBenchmark.RunAsync(args[1..]),
    "ingest" => await IngestionThroughputBenchmark.RunAsync(args[1..]),
    "ingest-memory" => await IngestionMemoryBenchmark.RunAsync(args[1..]),
    "contoso" => await ContosoRetrievalBenchmark.RunAsync(args[1..]),
    "threshold" => await ThresholdCalibrationBenchmark.RunAsync(args[1..]),
    "latency" => await RetrievalLatencyBenchmark.RunAsync(args[1..]),
    "export" => await ExportBenchmark.RunAsync(args[1..]),
    "backup" => await BackupBenchmark.RunAsync(args[1..]),
    "fusion" => await FusionTuningBenchmark.RunAsync(args[1..]),
    "load" => await LoadBenchmark.RunAsync(args[1..]),
    "answer" => await AnswerSpeedBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/Ragtune.Benchmarks -- <benchmark> [options]

          embedding [corpus.jsonl] [chunks]
              MiniLM throughput: the package's SentenceEncoder against MiniLmEmbeddingGenerator's sessions and batching
          search [--chunks 100000] [--queries 200] [--dimensions 384]
              SqliteChunkIndex vector, keyword and hybrid top-10 latency beside a raw exact scan of the same vectors
          ingest [--corpus PATH] [--documents 400] [--rounds 8] [--concurrent-documents N] [--set Key=Value]...
              ingestion pipeline chunks/s (MiniLM, SQLite, catalog) beside the raw MiniLM generator on the same chunk texts
          ingest-memory [--corpus PATH] [--megabytes 10,50]
              peak memory ingesting one large generated text file (stand-in embedder), and the real model's memory apart
          contoso [--data DIR] [--documents DIR] [--ground-truth PATH] [--lines odd|even|all] [--set Key=Value]... [--misses] [--prf K:ALPHA] [--per-page N] [--per-section N]
              share of Contoso ground-truth questions whose cited page is in the Retriever's top 5, per search mode
          threshold [--data DIR] [--documents DIR] [--ground-truth PATH] [--lines odd|even|all] [--set Key=Value]...
              MiniLM cosines of in-domain and off-topic questions on Contoso, and the errors of each threshold
          latency [--chunks 100000] [--queries 200] [--questions PATH]
              Retriever top-10 hybrid latency beside a raw exact scan of the same vectors; MiniLM question embedding apart
          export [--sizes 10000,100000]
              fine-tune export of synthetic rated answers in the SQLite store: time and peak memory per size
          backup [--answers 100000]
              ragtune backup of N synthetic rated answers (the export's): time and the sizes of ratings.db and the backup
          fusion --index DIR [--data ../shared/data/scifact] [--split train|test] [--variant "name|Key=Value,..."]... [--prf K:ALPHA]
              retrieval tuning: nDCG@10, Recall and MRR of configuration variants over a kept `ragtune eval` index
          answer [--rounds 3] [--data DIR] [--documents DIR] [--ground-truth PATH] [--set Key=Value]...
              CPU of the extractive answer (stored sentence vectors, and embedded per question as before) beside retrieval alone
          (--set: configuration for the embedded stack, e.g. --set Ragtune:Storage:SectionWeight=2; --lines: the ground truth's odd lines to tune on, even to report on;
           --misses: the hybrid misses, for the half tuned on; --prf K:ALPHA: an experiment, pseudo-relevance feedback on the query vector,
           --per-page N, --per-section N: experiments, at most N chunks of a page, or of a section, in the top 5 (from the top 20); none is in the product)
          load [--clients 32] [--seconds 60] [--documents DIR] [--ground-truth PATH] [--data DIR]
              ragtune serve in a child process under N clients asking and rating, one more listing documents: p50 / p99, errors
        """);
    return 2;
}
