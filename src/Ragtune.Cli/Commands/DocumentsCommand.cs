using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Cli.CommandLine;
using Ragtune.Core.Api;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary><c>ragtune documents [--data DIR] [--json]</c>: the indexed documents with their status and origin.</summary>
internal static class DocumentsCommand
{
    public static Command Create(IAnsiConsole console, IReadOnlyList<string> configurationArgs)
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var command = new Command("documents", "List the documents with their status (the GET /api/documents body with --json)") { data, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new CliSettings(parseResult.GetRequiredValue(data), configurationArgs);
            using var host = await CliHost.StartAsync(settings, cancellationToken);

            // The operator's own command line sees every document, whatever its groups.
            if (parseResult.GetValue(json))
            {
                var documents = await host.Services.GetRequiredService<DocumentList>().ListAsync(AccessScope.Unrestricted, cancellationToken);
                console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(documents, RagtuneJson.Indented));
            }
            else
            {
                Write(console, await host.Services.GetRequiredService<IDocumentCatalog>().ListAsync(cancellationToken));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The table: every document with its status and origin (the origin is the operator's to see, not the API's).</summary>
    private static void Write(IAnsiConsole console, IReadOnlyList<DocumentRecord> documents)
    {
        if (documents.Count == 0)
        {
            console.MarkupLine("[grey]No documents. Run `ragtune ingest PATH` or `ragtune serve --docs DIR`.[/]");
            return;
        }

        var table = new Table().AddColumns("source", "status", "chunks", "groups", "indexed at", "origin", "error");
        foreach (var document in documents)
        {
            table.AddRow(
                Markup.Escape(document.Source),
                document.Status == DocumentStatus.Indexed ? "[green]indexed[/]" : "[red]failed[/]",
                document.Chunks.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(string.Join(", ", document.Groups)),
                document.IndexedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(document.Origin.ToString()),
                Markup.Escape(document.Error ?? string.Empty));
        }

        console.Write(table);
    }
}
