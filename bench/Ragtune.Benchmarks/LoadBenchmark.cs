using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Ragtune.Core.Evaluation;
using Ragtune.Cli.CommandLine;
using Spectre.Console;

namespace Ragtune.Benchmarks;

/// <summary>
/// A bounded load driver: <c>ragtune serve</c> over the Contoso documents in a process of its own, then N clients for
/// a fixed time, each asking a ground-truth question and rating the answer (up, down, or down with a correction) in a
/// loop, and one more client reading GET /api/documents twenty times a second throughout. Every write (an answer
/// recorded, a rating saved) goes to the same SQLite file that every read (search, the document list) reads: errors,
/// and the readers' latency while writes go on, show whether writes block readers. Prints p50 / p99 per operation and
/// the server's CPU time; exits 1 on any error.
/// </summary>
internal static class LoadBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Arguments(args);
        if (options.Flag("--serve"))
        {
            // The child: ragtune serve itself, until the parent kills it.
            return await RagtuneCommandLine.RunAsync(
                ["serve", "--docs", options.Text("--docs", ""), "--data", options.Text("--data", ""), "--urls", options.Text("--urls", ""), "--Logging:LogLevel:Default=Warning", "--Ragtune:FineTuning:Schedule="],
                AnsiConsole.Console);
        }

        var clients = options.Int("--clients", 32);
        var seconds = options.Int("--seconds", 60);
        var documents = options.Text("--documents", SharedData.ContosoDocuments);
        var groundTruth = options.Text("--ground-truth", SharedData.ContosoGroundTruth);
        if (SharedData.Missing(documents, groundTruth) is { } missing)
        {
            Console.Error.WriteLine($"missing: {missing}");
            return 2;
        }

        var questions = (await AnswerEvaluator.ReadGroundTruthAsync(groundTruth)).Select(q => q.Question).ToList();

        // --data keeps the index between runs (a second run ingests nothing); by default a fresh folder.
        using var temporary = options.Text("--data", "").Length == 0 ? new TemporaryDirectory("load") : null;
        var data = temporary?.Path ?? Path.GetFullPath(options.Text("--data", ""));
        var url = $"http://127.0.0.1:{FreePort()}";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load benchmark: {clients} clients asking and rating for {seconds} s, one more listing documents; {Machine.AtStart()}"));

        using var server = StartServer(documents, data, url);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
            var ingestion = Stopwatch.StartNew();
            await WaitForIngestionAsync(http, documents, server);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ragtune serve (pid {server.Id}) ingested {documents} in {ingestion.Elapsed.TotalSeconds:0} s"));

            var results = new ConcurrentDictionary<string, ConcurrentBag<double>>(StringComparer.Ordinal);
            var errors = new ConcurrentBag<string>();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var cpuBefore = CpuTime(server.Id);
            var run = Stopwatch.StartNew();
            var tasks = Enumerable.Range(0, clients).Select(i => AskAndRateAsync(http, questions, new Random(i), results, errors, stop.Token)).ToList();
            tasks.Add(ReadDocumentsAsync(http, results, errors, stop.Token));
            await Task.WhenAll(tasks);
            run.Stop();
            var cpu = CpuTime(server.Id) - cpuBefore;

            Console.WriteLine("operation | requests | errors | per s | p50 ms | p99 ms | max ms");
            foreach (var (operation, latencies) in results.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                var values = latencies.ToList();
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{operation} | {values.Count} | {errors.Count(e => e.StartsWith(operation, StringComparison.Ordinal))} | {values.Count / run.Elapsed.TotalSeconds:0.0} | {Statistics.Median(values):0} | {Statistics.Percentile(values, 0.99):0} | {values.Max():0}"));
            }

            var asks = results.TryGetValue("ask", out var asked) ? asked.Count : 0;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"server CPU: {cpu.TotalSeconds:0.0} s over {run.Elapsed.TotalSeconds:0} s ({asks / Math.Max(cpu.TotalSeconds, 0.001):0.0} questions answered and rated per CPU-second)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"errors: {errors.Count}; server peak resident memory: {Machine.Megabytes(PeakResident(server.Id))} MB; {Machine.AtEnd()}"));
            foreach (var error in errors.Take(10))
            {
                Console.WriteLine("  " + error);
            }

            return errors.IsEmpty ? 0 : 1;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static async Task AskAndRateAsync(
        HttpClient http, List<string> questions, Random random, ConcurrentDictionary<string, ConcurrentBag<double>> results, ConcurrentBag<string> errors, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var question = questions[random.Next(questions.Count)];
            var (answer, asked) = await TimeAsync("ask", () => http.PostAsJsonAsync("/api/ask", new { question }), results, errors);
            if (!asked)
            {
                continue;
            }

            var answerId = (await answer!.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None)).GetProperty("answerId").GetString();
            answer.Dispose();
            object rating = random.Next(3) switch
            {
                0 => new { answerId, rating = "up" },
                1 => new { answerId, rating = "down" },
                _ => new { answerId, rating = "down", correction = "A better answer, with its source [1]." },
            };
            var (feedback, _) = await TimeAsync("feedback", () => http.PostAsJsonAsync("/api/feedback", rating), results, errors);
            feedback?.Dispose();
        }
    }

    private static async Task ReadDocumentsAsync(HttpClient http, ConcurrentDictionary<string, ConcurrentBag<double>> results, ConcurrentBag<string> errors, CancellationToken stop)
    {
        // A probe, not more load: twenty reads a second, each timed while the writers go on.
        while (!stop.IsCancellationRequested)
        {
            var (response, _) = await TimeAsync("documents", () => http.GetAsync(new Uri("/api/documents", UriKind.Relative)), results, errors);
            response?.Dispose();
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Times one request; a non-success status or an exception is an error.</summary>
    private static async Task<(HttpResponseMessage? Response, bool Succeeded)> TimeAsync(
        string operation, Func<Task<HttpResponseMessage>> send, ConcurrentDictionary<string, ConcurrentBag<double>> results, ConcurrentBag<string> errors)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await send();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            results.GetOrAdd(operation, _ => []).Add(elapsed);
            if (response.IsSuccessStatusCode)
            {
                return (response, true);
            }

            errors.Add($"{operation}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            response.Dispose();
            return (null, false);
        }
        catch (HttpRequestException exception)
        {
            errors.Add($"{operation}: {exception.Message}");
            return (null, false);
        }
    }

    private static Process StartServer(string documents, string data, string url)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(LoadBenchmark).Assembly.Location);
        }

        foreach (var arg in new[] { "load", "--serve", "--docs", Path.GetFullPath(documents), "--data", data, "--urls", url })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start ragtune serve.");
    }

    /// <summary>Waits until the server lists every file of the folder (indexed or failed).</summary>
    private static async Task WaitForIngestionAsync(HttpClient http, string documents, Process server)
    {
        var expected = Directory.GetFiles(documents, "*", SearchOption.AllDirectories).Count(f => !f.EndsWith(".acl.json", StringComparison.Ordinal));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(15))
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"ragtune serve exited with code {server.ExitCode}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/api/documents", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK
                    && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documents").GetArrayLength() >= expected)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException("ragtune serve did not ingest the documents within 15 minutes.");
    }

    /// <summary>The user and system CPU time a process has used (<c>/proc/PID/stat</c>, in clock ticks of 1/100 s).</summary>
    private static TimeSpan CpuTime(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    private static long PeakResident(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
