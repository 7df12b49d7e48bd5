Console.WriteLine("usage: dotnet run -c Release --project bench/Ragtune.Benchmarks -- <benchmark>");
return 2;
