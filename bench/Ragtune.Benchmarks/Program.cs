using Ragtune.Benchmarks;

return args.FirstOrDefault() switch
{
    "embedding" => await EmbeddingThroughputBenchmark.RunAsync(args[1..]),
    "search" => await SearchBenchmark.RunAsync(args[1..]),
    "export" => await ExportBenchmark.RunAsync(args[1..]),
    "fusion" => await FusionTuningBenchmark.RunAsync(args[1..]),
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
          export [--sizes 10000,100000]
              fine-tune export of synthetic rated answers in the SQLite store: time and peak memory per size
          fusion --index DIR [--data ../shared/data/scifact] [--split train|test] [--variant "name|Key=Value,..."]...
              retrieval tuning: nDCG@10, Recall and MRR of configuration variants over a kept `ragtune eval` index
        """);
    return 2;
}
