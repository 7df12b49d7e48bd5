using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Cli.CommandLine;
using Ragtune.Core.Api;
using Ragtune.Core.FineTuning;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary><c>ragtune export [--data DIR] [--out DIR] [--json]</c>: export the fine-tune datasets now.</summary>
internal static class ExportCommand
{
    public static Command Create(IAnsiConsole console, IReadOnlyList<string> configurationArgs)
    {
        var data = CommonOptions.Data();
        var output = new Option<DirectoryInfo?>("--out")
        {
            Description = "Folder of the exports (default: datasets in the --data folder)",
        };
        var json = new Option<bool>("--json") { Description = "Print the export's manifest as JSON" };
        var command = new Command("export", "Export the rated answers as fine-tune datasets (SFT and DPO JSONL), if any rating is new") { data, output, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new CliSettings(parseResult.GetRequiredValue(data), configurationArgs)
            {
                DatasetsDirectory = parseResult.GetValue(output),
            };
            using var host = await CliHost.StartAsync(settings, cancellationToken);
            DatasetExportResult result;
            try
            {
                result = await host.Services.GetRequiredService<DatasetExporter>().ExportAsync(cancellationToken);
            }
            catch (DatasetExportBusyException exception)
            {
                console.MarkupLineInterpolated($"[red]{exception.Message}[/] Try again when it is done.");
                return ExitCodes.Failure;
            }

            if (parseResult.GetValue(json))
            {
                console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(result, RagtuneJson.Indented));
            }
            else
            {
                Write(console, result);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(IAnsiConsole console, DatasetExportResult result)
    {
        switch (result.Outcome)
        {
            case DatasetExportOutcome.NothingRated:
                console.MarkupLine("Nothing to export: no answer has been rated yet (POST /api/feedback).");
                return;
            case DatasetExportOutcome.UpToDate:
                console.MarkupLineInterpolated($"Up to date: no rating since the export {result.Manifest!.Name} in {result.Location}.");
                return;
        }

        var manifest = result.Manifest!;
        console.MarkupLineInterpolated($"Exported [bold]{manifest.Name}[/] ({Status(manifest.Status)}) from {manifest.RatedInteractions:N0} rated answers to {result.Location}");
        var table = new Table().AddColumns("dataset", "status", "train", "validation", "tokens min / p50 / max");
        foreach (var (name, dataset) in manifest.Datasets)
        {
            table.AddRow(
                name,
                Status(dataset.Status),
                dataset.Train.ToString("N0", CultureInfo.InvariantCulture),
                dataset.Validation.ToString("N0", CultureInfo.InvariantCulture),
                dataset.Tokens is { } t ? $"{t.Min:N0} / {t.P50:N0} / {t.Max:N0}" : "-");
        }

        console.Write(table);
        if (manifest.Datasets.Values.Any(d => d.Status == DatasetStatus.Insufficient))
        {
            console.MarkupLineInterpolated($"[grey]A dataset with fewer than {manifest.MinTrainingExamples} training examples gets no files.[/]");
        }

        console.MarkupLineInterpolated($"excluded: {Counts(manifest.Exclusions)}");
        console.MarkupLineInterpolated($"personal data replaced: {Counts(manifest.Scrubbed)}");
    }

    private static string Status(DatasetStatus status) => status == DatasetStatus.Complete ? "complete" : "insufficient";

    private static string Counts(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "none" : string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:N0}")));
}
