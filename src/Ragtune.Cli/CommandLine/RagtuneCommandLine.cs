using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Ragtune.Cli.Commands;
using Spectre.Console;

namespace Ragtune.Cli.CommandLine;

/// <summary>The <c>ragtune</c> command: its subcommands, and the exit codes for usage and configuration errors.</summary>
public static class RagtuneCommandLine
{
    /// <summary>Runs a command line; returns its exit code. Tests call this with a recording console.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Ragtune: answers from your documents, with citations, and fine-tune datasets from their ratings.")
        {
            ServeCommand.Create(console),
            IngestCommand.Create(console),
            DocumentsCommand.Create(console),
            AskCommand.Create(console),
            ExportCommand.Create(console),
            ValidateCommand.Create(console),
            EvalCommand.Create(console),
        };

        // Tokens no command knows are read as configuration (--Ragtune:Chat:Provider=extractive).
        foreach (var command in root.Subcommands)
        {
            command.TreatUnmatchedTokensAsErrors = false;
        }

        // `ragtune` alone (as `dotnet run --project src/Ragtune.Cli` runs it) serves the API over the samples.
        var parseResult = root.Parse(args.Length == 0 ? ["serve"] : args);
        var errors = parseResult.Errors.Select(e => e.Message)
            .Concat(parseResult.UnmatchedTokens.Where(t => !IsConfigurationSetting(t)).Select(t => $"Unrecognized argument '{t}' (settings are written --Section:Key=value)."))
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

    private static bool IsConfigurationSetting(string token) =>
        token.StartsWith("--", StringComparison.Ordinal) && token.IndexOf('=', StringComparison.Ordinal) > token.IndexOf(':', StringComparison.Ordinal) && token.Contains(':', StringComparison.Ordinal);
}
