using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Cli.CommandLine;
using Ragtune.Core.Evaluation;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary>
/// <c>ragtune eval --corpus F --queries F --qrels F [--k 10] [--mode vector|keyword|hybrid|all] [--index DIR] [--json]</c>:
/// retrieval quality on a BEIR-format data set, measured with the embedded stack in a throwaway index (or a kept one).
/// <c>ragtune eval --questions F --docs DIR [...]</c>: question answering over a folder against a ground-truth file.
/// </summary>
internal static class EvalCommand
{
    private static readonly float[] Thresholds = [0.20f, 0.25f, 0.30f, 0.35f, 0.40f, 0.45f, 0.50f];

    public static Command Create(IAnsiConsole console, IReadOnlyList<string> configurationArgs)
    {
        var corpus = new Option<FileInfo?>("--corpus") { Description = "BEIR corpus.jsonl (_id, title, text)" };
        var queries = new Option<FileInfo?>("--queries") { Description = "BEIR queries.jsonl (_id, text)" };
        var qrels = new Option<FileInfo?>("--qrels") { Description = "BEIR qrels TSV (query-id, corpus-id, score); only its queries are run" };
        var k = new Option<int>("--k") { Description = "The cut of nDCG, Recall and MRR (Recall@100 is always reported)", DefaultValueFactory = _ => 10 };
        var mode = new Option<string>("--mode") { Description = "vector, keyword, hybrid or all", DefaultValueFactory = _ => "all" };
        mode.AcceptOnlyFromAmong("vector", "keyword", "hybrid", "all");
        var index = new Option<DirectoryInfo?>("--index")
        {
            Description = "Keep the evaluation index in this folder and reuse it (unchanged documents are not embedded again); "
                + "the folder's index is made to hold exactly the corpus. Default: a temporary folder, deleted afterwards",
        };
        var questions = new Option<FileInfo?>("--questions")
        {
            Description = "Question-answering mode: a ground-truth JSONL file (question, truth citing file.pdf#page=N); needs --docs",
        };
        var docs = new Option<DirectoryInfo?>("--docs") { Description = "Question-answering mode: the folder of documents the questions are about" };
        var json = CommonOptions.Json();
        var command = new Command(
            "eval",
            "Measure retrieval quality (nDCG, Recall, MRR) on a BEIR-format data set, or question answering (cited page found, answer token F1)")
        {
            corpus, queries, qrels, k, mode, index, questions, docs, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(questions) is not null || parseResult.GetValue(docs) is not null)
            {
                return await AnswerEvaluationCommand.RunAsync(
                    console,
                    configurationArgs,
                    new AnswerEvaluationCommand.Inputs(parseResult.GetValue(questions), parseResult.GetValue(docs), parseResult.GetValue(k), Modes(parseResult.GetRequiredValue(mode)), parseResult.GetValue(index), parseResult.GetValue(json)),
                    cancellationToken);
            }

            var files = new[] { parseResult.GetValue(corpus), parseResult.GetValue(queries), parseResult.GetValue(qrels) };
            if (files.Any(file => file is null))
            {
                console.MarkupLine("[red]--corpus, --queries and --qrels are all required.[/]");
                return ExitCodes.Usage;
            }

            if (files.FirstOrDefault(file => !file!.Exists) is { } missing)
            {
                console.MarkupLineInterpolated($"[red]No such file:[/] {missing}");
                return ExitCodes.Usage;
            }

            var cut = parseResult.GetValue(k);
            if (cut is < 1 or > RetrievalEvaluator.RankedDocuments)
            {
                console.MarkupLineInterpolated($"[red]--k must be between 1 and {RetrievalEvaluator.RankedDocuments}.[/]");
                return ExitCodes.Usage;
            }

            var request = new BeirRun(files[0]!, files[1]!, files[2]!, cut, Modes(parseResult.GetRequiredValue(mode)), parseResult.GetValue(json));
            using var folder = new EvaluationFolder(parseResult.GetValue(index));
            // Retrieval only: no answer will quote the corpus's sentences, so ingestion does not embed them.
            using var host = await CliHost.StartAsync(
                new CliSettings(folder.Directory, ["--Ragtune:Chat:Extractive:IndexSentences=false", .. configurationArgs]), cancellationToken);
            return await RunAsync(console, host.Services.GetRequiredService<RetrievalEvaluator>(), request, cancellationToken);
        });
        return command;
    }

    /// <summary>The progress display; with --json it goes nowhere, so that stdout carries only the JSON.</summary>
    internal static Progress Progress(IAnsiConsole console, bool json) =>
        (json ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }) : console)
            .Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn());

    internal static IReadOnlyList<SearchMode> Modes(string mode) => mode switch
    {
        "vector" => [SearchMode.Vector],
        "keyword" => [SearchMode.Keyword],
        "hybrid" => [SearchMode.Hybrid],
        _ => [SearchMode.Vector, SearchMode.Keyword, SearchMode.Hybrid],
    };

    private static async Task<int> RunAsync(IAnsiConsole console, RetrievalEvaluator evaluator, BeirRun run, CancellationToken cancellationToken)
    {
        var documents = new List<BeirDocument>();
        await foreach (var document in BeirDataSet.ReadCorpusAsync(run.Corpus.FullName, cancellationToken))
        {
            documents.Add(document);
        }

        var queries = new List<BeirQuery>();
        await foreach (var query in BeirDataSet.ReadQueriesAsync(run.Queries.FullName, cancellationToken))
        {
            queries.Add(query);
        }

        var judgments = await BeirDataSet.ReadJudgmentsAsync(run.Qrels.FullName, cancellationToken);
        IndexedCorpus? corpus = null;
        RetrievalEvaluation? evaluation = null;

        await Progress(console, run.Json).StartAsync(async context =>
            {
                var indexing = context.AddTask("indexing", maxValue: Math.Max(1, documents.Count));
                var chunks = 0L;
                var written = new SynchronousProgress<IngestionProgress>(p =>
                {
                    var total = Interlocked.Add(ref chunks, p.ChunksWritten);
                    indexing.Description = string.Create(CultureInfo.InvariantCulture, $"indexing ({total:N0} chunks written)");
                });
                var completed = new SynchronousProgress<IngestionResult>(_ => indexing.Increment(1));
                corpus = await evaluator.IndexAsync(DocumentOrigin.IngestedPath(run.Corpus.FullName), documents, written, completed, cancellationToken);
                indexing.Value = indexing.MaxValue;

                var judged = queries.Count(query => judgments.HasRelevant(query.Id));
                var searching = context.AddTask("queries", maxValue: Math.Max(1, judged * run.Modes.Count));
                evaluation = await evaluator.EvaluateAsync(
                    corpus, queries, judgments, run.Modes, run.K, new SynchronousProgress<int>(n => searching.Increment(n)), cancellationToken);
                searching.Value = searching.MaxValue;
            });

        var failed = corpus!.Results.Where(result => !result.Succeeded).ToList();
        if (run.Json)
        {
            console.Profile.Out.Writer.WriteLine(ToJson(evaluation!).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            Write(console, corpus, evaluation!);
        }

        foreach (var failure in failed)
        {
            console.MarkupLineInterpolated($"[red]not indexed:[/] {failure.Source}: {failure.Error ?? failure.Outcome.ToString()}");
        }

        return failed.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The documented shape: <c>{"hybrid": {"ndcg@10": 0.0, "recall@10": 0.0, "recall@100": 0.0, "mrr@10": 0.0}, ...}</c>.</summary>
    private static JsonObject ToJson(RetrievalEvaluation evaluation)
    {
        var root = new JsonObject();
        foreach (var mode in evaluation.Modes)
        {
            root[ModeName(mode.Mode)] = new JsonObject
            {
                [$"ndcg@{evaluation.K}"] = Math.Round(mode.Scores.Ndcg, 5),
                [$"recall@{evaluation.K}"] = Math.Round(mode.Scores.Recall, 5),
                [$"recall@{RetrievalScores.DeepRecallCut}"] = Math.Round(mode.Scores.DeepRecall, 5),
                [$"mrr@{evaluation.K}"] = Math.Round(mode.Scores.ReciprocalRank, 5),
            };
        }

        return root;
    }

    private static void Write(IAnsiConsole console, IndexedCorpus corpus, RetrievalEvaluation evaluation)
    {
        var seconds = Math.Max(0.001, corpus.Elapsed.TotalSeconds);
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"indexed {corpus.Results.Count:N0} documents, {corpus.Chunks:N0} chunks ({corpus.EmbeddedChunks:N0} embedded by this run) in {seconds:N1} s, {corpus.EmbeddedChunks / seconds:N1} chunks/s"));
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{evaluation.Queries:N0} judged queries, embedded in {evaluation.QueryEmbeddingTime.TotalSeconds:N1} s"));

        var k = evaluation.K;
        var table = new Table().AddColumns("mode", $"nDCG@{k}", $"Recall@{k}", "Recall@100", $"MRR@{k}", "ms/query");
        foreach (var mode in evaluation.Modes)
        {
            table.AddRow(
                ModeName(mode.Mode),
                Format(mode.Scores.Ndcg),
                Format(mode.Scores.Recall),
                Format(mode.Scores.DeepRecall),
                Format(mode.Scores.ReciprocalRank),
                (mode.SearchTime.TotalMilliseconds / Math.Max(1, evaluation.Queries)).ToString("N1", CultureInfo.InvariantCulture));
        }

        console.Write(table);

        // The threshold's evidence: cosine similarities of the top-k chunks, from the vector mode when it ran.
        var calibrated = evaluation.Modes.FirstOrDefault(mode => mode.Mode == SearchMode.Vector) ?? evaluation.Modes[0];
        var similarities = calibrated.Similarities;
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"cosine similarity of the top {k} chunks ({ModeName(calibrated.Mode)}): {similarities.RelevantCount:N0} of judged-relevant documents, {similarities.OtherCount:N0} others"));
        var percentiles = new Table().AddColumns("chunks", "p1", "p5", "p10", "p25", "p50", "p75", "p95");
        double[] points = [1, 5, 10, 25, 50, 75, 95];
        percentiles.AddRow(["relevant", .. points.Select(p => Format(similarities.RelevantPercentile(p)))]);
        percentiles.AddRow(["other", .. points.Select(p => Format(similarities.OtherPercentile(p)))]);
        console.Write(percentiles);
        var kept = new Table().AddColumns(["kept at", .. Thresholds.Select(t => Format(t))]);
        kept.AddRow(["relevant", .. Thresholds.Select(t => Format(similarities.RelevantKept(t)))]);
        kept.AddRow(["other", .. Thresholds.Select(t => Format(similarities.OtherKept(t)))]);
        console.Write(kept);
    }

    internal static string ModeName(SearchMode mode) => mode.ToString().ToLowerInvariant();

    internal static string Format(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private sealed record BeirRun(FileInfo Corpus, FileInfo Queries, FileInfo Qrels, int K, IReadOnlyList<SearchMode> Modes, bool Json);
}
