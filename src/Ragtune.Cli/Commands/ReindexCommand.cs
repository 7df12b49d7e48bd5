using System.CommandLine;
using System.Globalization;
using Ragtune.Cli.CommandLine;
using Ragtune.Embedded.Storage;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary>
/// <c>ragtune reindex PATH... [--data DIR]</c>: rebuilds the index from the documents. The index file (damaged or not) is
/// set aside under a dated name, never deleted, and a new one is made by ingesting <c>PATH...</c>; the ratings file is
/// not touched. Run it while no <c>ragtune serve</c> uses the folder.
/// </summary>
internal static class ReindexCommand
{
    public static Command Create(IAnsiConsole console, IReadOnlyList<string> configurationArgs)
    {
        var paths = new Argument<string[]>("PATH") { Description = "The documents' files or folders (recursive)", Arity = ArgumentArity.OneOrMore };
        var data = CommonOptions.Data();
        var command = new Command("reindex", "Rebuild the index from the documents, setting the old index file aside (the ratings stay)") { paths, data };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var missing = parseResult.GetRequiredValue(paths).Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
            foreach (var path in missing)
            {
                console.MarkupLineInterpolated($"[red]No such file or folder:[/] {path}");
            }

            if (missing.Count > 0)
            {
                return ExitCodes.Usage;
            }

            var directory = parseResult.GetRequiredValue(data);
            var index = Path.Combine(directory.FullName, SqliteStorageOptions.DatabaseFileName);
            if (File.Exists(index))
            {
                var aside = string.Create(CultureInfo.InvariantCulture, $"{index}.before-reindex-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}");
                foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
                {
                    if (File.Exists(index + suffix))
                    {
                        File.Move(index + suffix, aside + suffix);
                    }
                }

                console.Profile.Out.Writer.WriteLine($"Set the old index aside as {aside}; delete it once the new one serves you well.");
            }

            using var host = await CliHost.StartAsync(new CliSettings(directory, configurationArgs), cancellationToken);
            return await IngestCommand.RunAsync(console, host.Services, parseResult.GetRequiredValue(paths), cancellationToken);
        });
        return command;
    }
}
