using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Cli.CommandLine;
using Ragtune.Core.FineTuning.Tuning;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary>
/// <c>ragtune tune [--data DIR] [--export latest|NAME] [--method sft|dpo] [--wait] [--json]</c>: fine-tune on an export,
/// evaluate against the active model, promote only if it wins (a run is resumed, never doubled);
/// <c>ragtune tune status [--json]</c>: the runs and the active model; <c>ragtune tune rollback</c>: the previous model again.
/// </summary>
internal static class TuneCommand
{
    /// <summary>The JSON of <c>--json</c>: camelCase, nulls written (the shape is the same whatever the run reached), enums by their names.</summary>
    internal static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(IAnsiConsole console, IReadOnlyList<string> configurationArgs)
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var export = new Option<string>("--export")
        {
            Description = "The export to train on: its name, or latest (the newest with files for the method)",
            DefaultValueFactory = _ => TuningCoordinator.Latest,
        };
        var method = new Option<string>("--method") { Description = "sft (supervised) or dpo (preference pairs)", DefaultValueFactory = _ => "sft" };
        method.AcceptOnlyFromAmong("sft", "dpo");
        var wait = new Option<bool>("--wait") { Description = "Wait for the job and the verdict (else start or advance the run and return)" };
        var command = new Command("tune", "Fine-tune on an export, evaluate against the active model, promote only if it wins")
        {
            data, export, method, wait, json, Status(console, configurationArgs), Rollback(console, configurationArgs),
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var host = await CliHost.StartAsync(new CliSettings(parseResult.GetRequiredValue(data), configurationArgs), cancellationToken);
            var coordinator = host.Services.GetRequiredService<TuningCoordinator>();
            return await WithReasonAsync(console, async () =>
            {
                var run = await coordinator.StartAsync(parseResult.GetValue(export), TuningMethods.Parse(parseResult.GetValue(method))!.Value, cancellationToken);
                run = await coordinator.RunAsync(run, parseResult.GetValue(wait), cancellationToken);
                if (parseResult.GetValue(json))
                {
                    console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(RunStatus.From(run), Json));
                }
                else
                {
                    WriteRuns(console, [RunStatus.From(run)]);
                }

                return run.State is TuningState.Failed or TuningState.JobFailed or TuningState.JobCancelled ? ExitCodes.Failure : ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command Status(IAnsiConsole console, IReadOnlyList<string> configurationArgs)
    {
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var command = new Command("status", "The tuning runs (state, job, fine-tuned model, evaluation, verdict) and the active model") { data, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var host = await CliHost.StartAsync(new CliSettings(parseResult.GetRequiredValue(data), configurationArgs), cancellationToken);
            var status = await host.Services.GetRequiredService<TuningCoordinator>().GetStatusAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(status, Json));
                return ExitCodes.Success;
            }

            WriteRuns(console, status.Runs);
            var since = status.ActiveSince is { } at ? $" since {at.ToString("u", CultureInfo.InvariantCulture)}" : string.Empty;
            console.MarkupLineInterpolated($"Active model: [bold]{status.ActiveModel}[/]{since}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Rollback(IAnsiConsole console, IReadOnlyList<string> configurationArgs)
    {
        var data = CommonOptions.Data();
        var command = new Command("rollback", "Make the model active before the last promotion active again") { data };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var host = await CliHost.StartAsync(new CliSettings(parseResult.GetRequiredValue(data), configurationArgs), cancellationToken);
            var services = host.Services;
            return await WithReasonAsync(console, async () =>
            {
                var back = await services.GetRequiredService<TuningCoordinator>().RollBackAsync(cancellationToken);
                var status = await services.GetRequiredService<TuningCoordinator>().GetStatusAsync(cancellationToken);
                console.MarkupLineInterpolated($"Rolled back: the active model is now [bold]{back.Model ?? status.ActiveModel}[/].");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    /// <summary>Runs a tuning command; what it cannot do (no export, no service, nothing to roll back) is said plainly, exit 1.</summary>
    private static async Task<int> WithReasonAsync(IAnsiConsole console, Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (TuningUnavailableException exception)
        {
            console.MarkupLineInterpolated($"[red]{exception.Message}[/]");
            return ExitCodes.Failure;
        }
    }

    private static void WriteRuns(IAnsiConsole console, IReadOnlyList<RunStatus> runs)
    {
        if (runs.Count == 0)
        {
            console.MarkupLine("[grey]No tuning run yet. Run `ragtune tune` once an export has files.[/]");
            return;
        }

        var table = new Table().AddColumns("run", "state", "job", "fine-tuned model", "examples", "active", "candidate", "difference (95% interval)", "verdict / reason");
        foreach (var run in runs)
        {
            var evaluation = run.Evaluation;
            table.AddRow(
                Markup.Escape(run.RunId),
                Markup.Escape(JsonSerializer.Serialize(run.State, Json).Trim('"')),
                Markup.Escape(run.JobId ?? "-"),
                Markup.Escape(run.FineTunedModel ?? "-"),
                evaluation?.Examples.ToString(CultureInfo.InvariantCulture) ?? "-",
                Score(evaluation?.Active),
                Score(evaluation?.Candidate),
                evaluation is null ? "-" : Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{evaluation.Difference:+0.000;-0.000} [{evaluation.Ci95[0]:0.000}, {evaluation.Ci95[1]:0.000}]")),
                Markup.Escape(run.Verdict is { } verdict ? JsonSerializer.Serialize(verdict, Json).Trim('"') : run.Failure is { } failure ? $"{failure.Code}: {failure.Message}" : "-"));
        }

        console.Write(table);
    }

    private static string Score(double? score) => score?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-";
}
