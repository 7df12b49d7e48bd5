using Ragtune.Benchmarks;

return args.FirstOrDefault() switch
{
    "search" => await SearchBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/Ragtune.Benchmarks -- <benchmark> [options]

          search [--chunks 100000] [--queries 200] [--dimensions 384]
              SqliteChunkIndex vector, keyword and hybrid top-10 latency beside a raw exact scan of the same vectors
        """);
    return 2;
}
