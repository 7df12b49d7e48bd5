using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Cli.CommandLine;
using Ragtune.Embedded.Storage;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary>
/// <c>ragtune backup [--data DIR] --out FILE</c>: a consistent copy of the ratings file (answers, ratings, tuning runs and
/// the active model's history), also while <c>ragtune serve</c> runs. The index is not copied: <c>ragtune reindex</c> rebuilds it from the documents.
/// </summary>
internal static class BackupCommand
{
    public static Command Create(IAnsiConsole console, IReadOnlyList<string> configurationArgs)
    {
        var data = CommonOptions.Data();
        var output = new Option<FileInfo>("--out")
        {
            Description = "The backup file to write (replaced if it exists)",
            Required = true,
        };
        var command = new Command("backup", "Back up the answers, ratings and tuning runs to one SQLite file, also while serve runs") { data, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // Only the ratings file is opened: a damaged index does not stop its backup.
            var settings = new CliSettings(parseResult.GetRequiredValue(data), configurationArgs) { OpensStore = false };
            using var host = await CliHost.StartAsync(settings, cancellationToken);
            var ratings = host.Services.GetRequiredService<RatingsDatabase>();
            var stopwatch = Stopwatch.StartNew();
            var result = await RatingsBackup.WriteAsync(ratings, parseResult.GetRequiredValue(output).FullName, cancellationToken);
            console.Profile.Out.Writer.WriteLine(
                $"Backed up {result.Answers:N0} answers ({result.Ratings:N0} rated), {result.TuningRuns:N0} tuning runs and {result.ModelChanges:N0} model changes from {ratings.FilePath} to {result.FilePath} ({result.Bytes / 1e6:N1} MB) in {stopwatch.Elapsed.TotalSeconds:N1} s.");
            return ExitCodes.Success;
        });
        return command;
    }
}
