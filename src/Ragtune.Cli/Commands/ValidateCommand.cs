using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ragtune.Cli.CommandLine;
using Ragtune.Core.FineTuning;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary>
/// <c>ragtune validate FILE... [--model MODEL]</c>: the export's checks on any fine-tuning JSONL file, problems by line
/// number. Exit 1 when any file has a problem.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create(IAnsiConsole console, IReadOnlyList<string> configurationArgs)
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "Fine-tuning JSONL files (chat or preference)", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string?>("--model")
        {
            Description = "The base model whose tokenizer and limit apply (default: Ragtune:FineTuning:BaseModel)",
        };
        var command = new Command("validate", "Check fine-tuning JSONL files as the export does, reporting problems by line number") { files, model };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var missing = parseResult.GetRequiredValue(files).Where(f => !f.Exists).ToList();
            foreach (var file in missing)
            {
                console.MarkupLineInterpolated($"[red]No such file:[/] {file}");
            }

            if (missing.Count > 0)
            {
                return ExitCodes.Usage;
            }

            // The host only reads configuration here: no data folder is opened.
            using var host = await CliHost.StartAsync(new CliSettings(new DirectoryInfo(".ragtune"), configurationArgs) { OpensStore = false }, cancellationToken);
            var options = host.Services.GetRequiredService<IOptions<FineTuningOptions>>().Value;
            var target = FineTuneTarget.For(parseResult.GetValue(model) ?? options.BaseModel, options.MaxTokensPerExample);
            var validator = new FineTuneExampleValidator(target);
            var failed = false;
            foreach (var file in parseResult.GetRequiredValue(files))
            {
                await using var stream = file.OpenRead();
                var report = await DatasetFileValidation.ValidateAsync(stream, validator, cancellationToken);
                Write(console, file.ToString(), report, target, options.MinTrainingExamples);
                failed |= !report.IsValid;
            }

            return failed ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static void Write(IAnsiConsole console, string file, DatasetFileReport report, FineTuneTarget target, int minExamples)
    {
        // Problem lines go straight to the output so that a narrow console does not wrap them.
        var output = console.Profile.Out.Writer;
        foreach (var problem in report.Problems)
        {
            output.WriteLine($"{file}:{problem.Line}: {problem.Code}: {problem.Message}");
        }

        if (report.ProblemCount > report.Problems.Count)
        {
            output.WriteLine($"{file}: {report.ProblemCount - report.Problems.Count} more problems not shown");
        }

        var tokens = report.Tokens is { } t ? $"; tokens min {t.Min:N0}, p50 {t.P50:N0}, max {t.Max:N0} ({target.Encoding}, limit {target.MaxTokensPerExample:N0})" : string.Empty;
        if (report.IsValid && report.Examples == 0)
        {
            console.MarkupLineInterpolated($"[yellow]{file}: no examples[/]");
        }
        else if (report.IsValid)
        {
            console.MarkupLineInterpolated($"[green]{file}: {report.Examples:N0} {DatasetFileValidation.Describe(report.Format)} examples, no problems[/]{tokens}");
        }
        else
        {
            console.MarkupLineInterpolated($"[red]{file}: {report.ProblemCount:N0} problems in {report.Examples:N0} examples[/]{tokens}");
        }

        if (report.Examples < minExamples)
        {
            console.MarkupLineInterpolated($"[yellow]{file}: note: fewer than {minExamples} examples; Azure OpenAI rejects such a training file.[/]");
        }
    }
}
