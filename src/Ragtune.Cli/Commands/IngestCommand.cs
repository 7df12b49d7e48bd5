using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ragtune.Cli.CommandLine;
using Ragtune.Core;
using Ragtune.Core.Documents;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Embedded.Files;
using Ragtune.Embedded.Storage;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary><c>ragtune ingest PATH... [--data DIR]</c>: ingest files or folders, with a progress display.</summary>
internal static class IngestCommand
{
    public static Command Create(IAnsiConsole console, IReadOnlyList<string> configurationArgs)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Files or folders (recursive) to ingest", Arity = ArgumentArity.OneOrMore };
        var data = CommonOptions.Data();
        var command = new Command("ingest", "Ingest files or folders into the index") { paths, data };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new CliSettings(parseResult.GetRequiredValue(data), configurationArgs);
            using var host = await CliHost.StartAsync(settings, cancellationToken);
            return await RunAsync(console, host.Services, parseResult.GetRequiredValue(paths), cancellationToken);
        });
        return command;
    }

    /// <summary>Ingests <paramref name="paths"/> with a progress display and a summary; returns the exit code.</summary>
    internal static async Task<int> RunAsync(IAnsiConsole console, IServiceProvider services, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var pipeline = services.GetRequiredService<IngestionPipeline>();
        var readers = services.GetRequiredService<DocumentReaders>();
        var documents = new List<SourceDocument>();
        var skipped = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var folder = new DocumentFolder(path, readers, DocumentOriginKind.IngestedPath);
                documents.AddRange(folder.List());
                skipped.AddRange(folder.ListUnsupported());
            }
            else if (File.Exists(path))
            {
                // A file named on the command line is ingested even if its type is unsupported, so the failure is reported.
                documents.Add(new DocumentFolder(Path.GetDirectoryName(Path.GetFullPath(path))!, readers, DocumentOriginKind.IngestedPath).Get(path));
            }
            else
            {
                console.MarkupLineInterpolated($"[red]No such file or folder:[/] {path}");
                return ExitCodes.Usage;
            }
        }

        var stopwatch = Stopwatch.StartNew();
        IReadOnlyList<IngestionResult> results = [];
        try
        {
            await ShowProgressAsync();
        }
        catch (StorageFullException exception)
        {
            // One line, no stack: every later document would fail the same way, and what was written is whole.
            var data = services.GetRequiredService<IOptions<SqliteStorageOptions>>().Value.DataDirectory;
            console.MarkupLineInterpolated(
                $"[red]The disk is full:[/] ingesting {string.Join(", ", paths)} stopped with {exception.NotIngested:N0} of {documents.Count:N0} documents not ingested (nothing half-written is kept); free space for the data folder {Path.GetFullPath(data)} and run the same command again.");
            return ExitCodes.Failure;
        }

        WriteSummary(console, results, skipped, stopwatch.Elapsed);
        return results.All(r => r.Succeeded) ? ExitCodes.Success : ExitCodes.Failure;

        Task ShowProgressAsync() => console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var documentTask = context.AddTask("documents", maxValue: Math.Max(1, documents.Count));
                var chunkTask = context.AddTask("chunks", maxValue: 1);
                chunkTask.IsIndeterminate = true;
                var chunks = 0L;
                var progress = new SynchronousProgress<IngestionProgress>(p =>
                {
                    var total = Interlocked.Add(ref chunks, p.ChunksWritten);
                    chunkTask.Description = $"chunks: {total:N0} ({total / Math.Max(0.001, stopwatch.Elapsed.TotalSeconds):N1}/s)";
                });
                var counted = new SynchronousProgress<IngestionResult>(_ => documentTask.Increment(1));
                results = await pipeline.IngestManyAsync(documents, progress, counted, cancellationToken);
                chunkTask.IsIndeterminate = false;
                chunkTask.Value = chunkTask.MaxValue;
                documentTask.Value = documentTask.MaxValue;
            });
    }

    private static void WriteSummary(IAnsiConsole console, IReadOnlyList<IngestionResult> results, IReadOnlyList<string> skipped, TimeSpan elapsed)
    {
        var indexed = results.Where(r => r.Outcome == IngestionOutcome.Indexed).ToList();
        var embedded = indexed.Sum(r => r.EmbeddedChunks);
        console.MarkupLineInterpolated(
            $"[green]{indexed.Count} indexed[/] ({indexed.Sum(r => r.Chunks):N0} chunks, {embedded:N0} embedded, {embedded / Math.Max(0.001, elapsed.TotalSeconds):N1} chunks/s), {results.Count(r => r.Outcome == IngestionOutcome.Unchanged)} unchanged, {results.Count(r => !r.Succeeded)} failed in {elapsed.TotalSeconds:N1} s");
        foreach (var source in skipped)
        {
            console.MarkupLineInterpolated($"[grey]skipped (not a supported type):[/] {source}");
        }

        var failed = results.Where(r => !r.Succeeded).ToList();
        if (failed.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumn("failed document").AddColumn("reason");
        foreach (var failure in failed)
        {
            table.AddRow(Markup.Escape(failure.Source), Markup.Escape(failure.Error ?? failure.Outcome.ToString()));
        }

        console.Write(table);
    }
}
