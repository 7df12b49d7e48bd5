using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ragtune.Cli.CommandLine;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Core.Index;
using Ragtune.Core.Retrieval;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary><c>ragtune ask "QUESTION" [--data DIR] [--json]</c>: one question, the answer with its citations.</summary>
internal static class AskCommand
{
    public static Command Create(IAnsiConsole console, IReadOnlyList<string> configurationArgs)
    {
        var question = new Argument<string>("QUESTION") { Description = "The question" };
        var data = CommonOptions.Data();
        var json = CommonOptions.Json();
        var command = new Command("ask", "Answer one question from the indexed documents, with citations") { question, data, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new CliSettings(parseResult.GetRequiredValue(data), configurationArgs);
            using var host = await CliHost.StartAsync(settings, cancellationToken);
            var retrieval = host.Services.GetRequiredService<IOptions<RetrievalOptions>>().Value;

            // The operator's own command line reads every document, whatever its groups.
            var request = new AskRequest(parseResult.GetRequiredValue(question)).Validate(
                host.Services.GetRequiredService<IOptions<ApiLimitsOptions>>().Value, retrieval, AccessScope.Unrestricted);
            if (!request.Succeeded)
            {
                console.MarkupLineInterpolated($"[red]{request.Problem.Detail}[/]");
                return ExitCodes.Usage;
            }

            var answer = await host.Services.GetRequiredService<QuestionAnswerer>().AskAsync(request.Value, cancellationToken);
            if (parseResult.GetValue(json))
            {
                console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(answer, RagtuneJson.Indented));
            }
            else
            {
                Write(console, answer);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(IAnsiConsole console, AskResponse answer)
    {
        console.WriteLine(answer.Answer);
        console.WriteLine();
        if (answer.Citations.Count > 0)
        {
            var table = new Table().AddColumns("ref", "source", "page", "similarity");
            foreach (var citation in answer.Citations)
            {
                table.AddRow(
                    $"[[{citation.Ref}]]",
                    Markup.Escape(citation.Source),
                    citation.Page.ToString(CultureInfo.InvariantCulture),
                    citation.Similarity.ToString("0.000", CultureInfo.InvariantCulture));
            }

            console.Write(table);
        }

        console.MarkupLineInterpolated(
            $"[grey]answer {answer.AnswerId} · grounded {answer.Grounded} · {answer.Model} · retrieval {answer.Timings.RetrievalMs} ms · generation {answer.Timings.GenerationMs} ms[/]");
    }
}
