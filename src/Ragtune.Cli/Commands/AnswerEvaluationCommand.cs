using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Cli.CommandLine;
using Ragtune.Core.Documents;
using Ragtune.Core.Evaluation;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Embedded.Files;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary>
/// The question-answering mode of <c>ragtune eval</c>: <c>--questions F --docs DIR</c> ingests the folder into the
/// evaluation index, then answers each question in each mode with the configured chat provider.
/// </summary>
internal static class AnswerEvaluationCommand
{
    public static async Task<int> RunAsync(IAnsiConsole console, IReadOnlyList<string> configurationArgs, Inputs inputs, CancellationToken cancellationToken)
    {
        if (inputs.Questions is null || inputs.Documents is null)
        {
            console.MarkupLine("[red]--questions and --docs go together.[/]");
            return ExitCodes.Usage;
        }

        if (!inputs.Questions.Exists || !inputs.Documents.Exists)
        {
            console.MarkupLineInterpolated($"[red]No such file or folder:[/] {(inputs.Questions.Exists ? inputs.Documents.FullName : inputs.Questions.FullName)}");
            return ExitCodes.Usage;
        }

        if (inputs.K is < 1 or > RetrievalEvaluator.RankedDocuments)
        {
            console.MarkupLineInterpolated($"[red]--k must be between 1 and {RetrievalEvaluator.RankedDocuments}.[/]");
            return ExitCodes.Usage;
        }

        var questions = await AnswerEvaluator.ReadGroundTruthAsync(inputs.Questions.FullName, cancellationToken);
        using var folder = new EvaluationFolder(inputs.Index);
        using var host = await CliHost.StartAsync(new CliSettings(folder.Directory, configurationArgs), cancellationToken);
        var pipeline = host.Services.GetRequiredService<IngestionPipeline>();
        var evaluator = host.Services.GetRequiredService<AnswerEvaluator>();
        var documentFolder = new DocumentFolder(inputs.Documents.FullName, host.Services.GetRequiredService<DocumentReaders>(), DocumentOriginKind.IngestedPath);
        var documents = documentFolder.List();

        SynchronizationResult? synchronized = null;
        var evaluations = new List<AnswerEvaluation>();
        await EvalCommand.Progress(console, inputs.Json).StartAsync(async context =>
        {
            var indexing = context.AddTask("indexing", maxValue: Math.Max(1, documents.Count));
            synchronized = await pipeline.SynchronizeAsync(documentFolder.Origin, documents, completed: new SynchronousProgress<IngestionResult>(_ => indexing.Increment(1)), cancellationToken: cancellationToken);
            indexing.Value = indexing.MaxValue;

            var answering = context.AddTask("questions", maxValue: Math.Max(1, questions.Count * inputs.Modes.Count));
            foreach (var mode in inputs.Modes)
            {
                evaluations.Add(await evaluator.EvaluateAsync(questions, mode, inputs.K, new SynchronousProgress<int>(n => answering.Increment(n)), cancellationToken));
            }
        });

        if (inputs.Json)
        {
            console.Profile.Out.Writer.WriteLine(ToJson(evaluations).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            Write(console, synchronized!, questions, evaluations);
        }

        var failed = synchronized!.Ingested.Where(result => !result.Succeeded).ToList();
        foreach (var failure in failed)
        {
            console.MarkupLineInterpolated($"[red]not indexed:[/] {failure.Source}: {failure.Error ?? failure.Outcome.ToString()}");
        }

        return failed.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary><c>{"hybrid": {"cited-page@10": 0.0, "token-f1": 0.0, "model": "..."}, ...}</c>.</summary>
    private static JsonObject ToJson(IEnumerable<AnswerEvaluation> evaluations)
    {
        var root = new JsonObject();
        foreach (var evaluation in evaluations)
        {
            root[EvalCommand.ModeName(evaluation.Mode)] = new JsonObject
            {
                [$"cited-page@{evaluation.K}"] = Math.Round(evaluation.CitedPageHitRate, 5),
                ["token-f1"] = Math.Round(evaluation.MeanTokenF1, 5),
                ["model"] = evaluation.Model,
            };
        }

        return root;
    }

    private static void Write(IAnsiConsole console, SynchronizationResult synchronized, IReadOnlyList<GroundTruthQuestion> questions, List<AnswerEvaluation> evaluations)
    {
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"indexed {synchronized.Ingested.Count:N0} documents, {synchronized.Ingested.Sum(r => r.Chunks):N0} chunks ({synchronized.Ingested.Sum(r => r.EmbeddedChunks):N0} embedded by this run)"));
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{questions.Count:N0} questions, {questions.Count(q => q.Cited.Count > 0):N0} citing a page; answers by {(evaluations.Count > 0 ? evaluations[0].Model : "-")}"));
        var k = evaluations.Count > 0 ? evaluations[0].K : 0;
        var table = new Table().AddColumns("mode", $"cited page in top {k}", "answer token F1");
        foreach (var evaluation in evaluations)
        {
            table.AddRow(EvalCommand.ModeName(evaluation.Mode), EvalCommand.Format(evaluation.CitedPageHitRate), EvalCommand.Format(evaluation.MeanTokenF1));
        }

        console.Write(table);
    }

    /// <summary>The question-answering mode's inputs.</summary>
    internal sealed record Inputs(FileInfo? Questions, DirectoryInfo? Documents, int K, IReadOnlyList<SearchMode> Modes, DirectoryInfo? Index, bool Json);
}
