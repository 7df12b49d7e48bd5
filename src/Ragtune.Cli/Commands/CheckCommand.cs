using System.CommandLine;
using System.Globalization;
using Ragtune.Cli.CommandLine;
using Ragtune.Embedded.Storage;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary>
/// <c>ragtune check [--data DIR]</c>: SQLite's full integrity check of every database file in the data folder, table by
/// table; exit code 2 when one is damaged (and, as on every command, when one is not a Ragtune database or too new).
/// </summary>
internal static class CheckCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var data = CommonOptions.Data();
        var command = new Command("check", "Run the full integrity check of the data folder's databases and report it per table") { data };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var files = await SqliteStoreCheck.CheckAsync(parseResult.GetRequiredValue(data).FullName, cancellationToken);
            var output = console.Profile.Out.Writer;
            foreach (var file in files)
            {
                Write(console, file);
            }

            foreach (var file in files.Where(f => !f.IsSound))
            {
                var hit = file.Tables.Where(t => !t.IsSound).Select(t => t.Table).ToList();
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{file.FilePath} is damaged in {hit.Count} of {file.Tables.Count} tables ({string.Join(", ", hit)}): {file.Remedy}."));
            }

            return files.All(f => f.IsSound) ? ExitCodes.Success : ExitCodes.Usage;
        });
        return command;
    }

    private static void Write(IAnsiConsole console, StoreFileCheck file)
    {
        if (!file.Exists)
        {
            console.Profile.Out.Writer.WriteLine($"{file.FilePath}: no database yet (nothing to check)");
            return;
        }

        console.Profile.Out.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file.FilePath} (schema version {file.SchemaVersion})"));
        var table = new Table().AddColumns("table", "rows", "integrity");
        foreach (var result in file.Tables)
        {
            table.AddRow(
                Markup.Escape(result.Table),
                result.Rows?.ToString("N0", CultureInfo.InvariantCulture) ?? "?",
                result.IsSound ? "[green]ok[/]" : "[red]" + Markup.Escape(string.Join("; ", result.Problems)) + "[/]");
        }

        console.Write(table);
    }
}
