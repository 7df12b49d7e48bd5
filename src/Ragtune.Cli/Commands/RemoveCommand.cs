using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Cli.CommandLine;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary>
/// <c>ragtune remove PATH|SOURCE... [--data DIR]</c>: removes documents from the index and the catalog, whatever their
/// origin. A SOURCE is a document's source as <c>ragtune documents</c> lists it; a PATH is a file or folder on this
/// machine: every document ingested from it or from below it (a folder given to <c>ingest</c>, or one file of it).
/// </summary>
internal static class RemoveCommand
{
    public static Command Create(IAnsiConsole console, IReadOnlyList<string> configurationArgs)
    {
        var targets = new Argument<string[]>("PATH|SOURCE")
        {
            Description = "Sources as `ragtune documents` lists them, or files and folders whose ingested documents to remove",
            Arity = ArgumentArity.OneOrMore,
        };
        var data = CommonOptions.Data();
        var command = new Command("remove", "Remove documents from the index, whatever their origin") { targets, data };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new CliSettings(parseResult.GetRequiredValue(data), configurationArgs);
            using var host = await CliHost.StartAsync(settings, cancellationToken);
            return await RunAsync(console, host.Services, parseResult.GetRequiredValue(targets), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(IAnsiConsole console, IServiceProvider services, IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        var pipeline = services.GetRequiredService<IngestionPipeline>();
        var records = await services.GetRequiredService<IDocumentCatalog>().ListAsync(cancellationToken);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        var unmatched = 0;
        foreach (var target in targets)
        {
            var matches = records.Where(record => Matches(record, target)).ToList();
            if (matches.Count == 0)
            {
                unmatched++;
                console.MarkupLineInterpolated($"[red]No document matches[/] {target} [grey](`ragtune documents` lists the sources and origins)[/]");
                continue;
            }

            foreach (var record in matches.Where(record => removed.Add(record.DocumentId)))
            {
                await pipeline.RemoveAsync(record.Source, cancellationToken);
                console.MarkupLineInterpolated($"Removed {record.Source} [grey](from {record.Origin})[/]");
                if (record.Origin.Kind == DocumentOriginKind.WatchedFolder && File.Exists(FilePath(record)))
                {
                    console.MarkupLineInterpolated($"[yellow]  {FilePath(record)} is still in serve's folder: serve ingests it again at its next synchronisation.[/]");
                }
            }
        }

        console.MarkupLineInterpolated($"{removed.Count} removed");
        return unmatched == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The target is the record's source, or a path that is its file or a folder above it.</summary>
    private static bool Matches(DocumentRecord record, string target)
    {
        if (string.Equals(DocumentIds.NormalizeSource(target), record.Source, StringComparison.Ordinal))
        {
            return true;
        }

        if (record.Origin.Kind is not (DocumentOriginKind.WatchedFolder or DocumentOriginKind.IngestedPath))
        {
            return false;
        }

        var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var file = FilePath(record);
        return string.Equals(file, path, StringComparison.Ordinal)
            || file.StartsWith(Path.EndsInDirectorySeparator(path) ? path : path + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>Where a document of a folder origin was read from.</summary>
    private static string FilePath(DocumentRecord record) =>
        Path.GetFullPath(Path.Combine(record.Origin.Location, record.Source.Replace('/', Path.DirectorySeparatorChar)));
}
