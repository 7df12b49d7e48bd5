using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Configuration;
using Ragtune.Cli.Commands;
using Ragtune.Embedded.Storage;
using Spectre.Console;

namespace Ragtune.Cli.CommandLine;

/// <summary>The <c>ragtune</c> command: its subcommands, and the exit codes for usage and configuration errors.</summary>
public static class RagtuneCommandLine
{
    /// <summary>Runs a command line; returns its exit code. Tests call this with a recording console.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken = default)
    {
        // Settings (--Ragtune:Chat:Provider=extractive) are taken out first, so that no command's arguments take them.
        string[] settings = [.. args.Where(IsConfigurationSetting)];
        string[] rest = [.. args.Where(arg => !IsConfigurationSetting(arg))];
        var root = new RootCommand("Ragtune: answers from your documents, with citations, and fine-tune datasets from their ratings.")
        {
            ServeCommand.Create(console, settings),
            IngestCommand.Create(console, settings),
            DocumentsCommand.Create(console, settings),
            RemoveCommand.Create(console, settings),
            AskCommand.Create(console, settings),
            ExportCommand.Create(console, settings),
            TuneCommand.Create(console, settings),
            ValidateCommand.Create(console, settings),
            EvalCommand.Create(console, settings),
            VerifyCommand.Create(console),
            CheckCommand.Create(console),
            BackupCommand.Create(console, settings),
            ReindexCommand.Create(console, settings),
        };

        // `ragtune` alone (as `dotnet run --project src/Ragtune.Cli` runs it) serves the API over the samples.
        var parseResult = root.Parse(rest.Length == 0 ? ["serve"] : rest);
        var errors = parseResult.Errors.Select(e => e.Message)
            .Concat(UnknownOptionsTakenAsArguments(parseResult).Select(t => $"Unrecognized option '{t}' (settings are written --Section:Key=value; a file whose name starts with '-' as ./{t})."))
            .ToList();
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                console.MarkupLineInterpolated($"[red]{error}[/]");
            }

            console.WriteLine("Run 'ragtune --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (StoreUnusableException exception)
        {
            // One line naming the file, what is wrong and what to do; straight to the output so that it does not wrap.
            console.Profile.Out.Writer.WriteLine(exception.Message);
            return ExitCodes.Usage;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException exception)
        {
            console.MarkupLineInterpolated($"[red]Configuration error:[/] {string.Join("; ", exception.Failures)}");
            return ExitCodes.Usage;
        }
        catch (InvalidOperationException exception) when (IsBindingFailure(exception))
        {
            // "Failed to convert configuration value 'five' at 'Ragtune:Retrieval:DefaultTop' to type 'System.Int32'."
            console.MarkupLineInterpolated($"[red]Configuration error:[/] {exception.Message}");
            return ExitCodes.Usage;
        }
    }

    /// <summary>True when the configuration binder could not turn a setting's value into its option's type.</summary>
    private static bool IsBindingFailure(InvalidOperationException exception) =>
        exception.TargetSite?.DeclaringType == typeof(ConfigurationBinder);

    /// <summary>Tokens such as <c>--bogus</c> that no option matched and that a command's arguments took as values.</summary>
    private static IEnumerable<string> UnknownOptionsTakenAsArguments(ParseResult parseResult) =>
        parseResult.CommandResult.Children.OfType<ArgumentResult>()
            .SelectMany(argument => argument.Tokens)
            .Select(token => token.Value)
            .Where(value => value.StartsWith('-') && value.Length > 1);

    private static bool IsConfigurationSetting(string token) =>
        token.StartsWith("--", StringComparison.Ordinal) && token.IndexOf('=', StringComparison.Ordinal) > token.IndexOf(':', StringComparison.Ordinal) && token.Contains(':', StringComparison.Ordinal);
}
