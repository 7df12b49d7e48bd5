using Ragtune.Benchmarks;

return args.FirstOrDefault() switch
{
    "embedding" => await EmbeddingThroughputBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/Ragtune.Benchmarks -- <benchmark> [arguments]");
    Console.WriteLine("  embedding [corpus.jsonl] [chunks]   MiniLM throughput: the package's SentenceEncoder against MiniLmEmbeddingGenerator");
    return 2;
}
