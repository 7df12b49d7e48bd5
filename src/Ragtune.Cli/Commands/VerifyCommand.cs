using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Verification;
using Ragtune.Core.Api;
using Spectre.Console;

namespace Ragtune.Cli.Commands;

/// <summary>
/// <c>ragtune verify --url URL [--key KEY] [--token TOKEN] [--question Q] [--timeout S] [--json]</c>: an end-to-end check
/// of a running deployment (Azure Functions or <c>ragtune serve</c>) over HTTP only, one line per check. Exit 0 when no
/// check failed (warnings do not fail), 1 when one did.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var url = new Option<string>("--url") { Description = "The deployment's base URL (the API is under URL/api)", Required = true };
        var key = new Option<string?>("--key") { Description = "A function key, sent as x-functions-key" };
        var token = new Option<string?>("--token")
        {
            Description = "A bearer token, sent as Authorization: Bearer; also checks that a forged x-ms-client-principal sees no more than an anonymous caller",
        };
        var question = new Option<string?>("--question")
        {
            Description = "A question the documents answer (default: one about the first document's name; an answer that is not grounded is a warning)",
        };
        var timeout = new Option<int>("--timeout") { Description = "Seconds one request may take, a streamed answer included", DefaultValueFactory = _ => 60 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with every check" };
        var command = new Command("verify", "Check a running deployment end to end: health, documents, ask (JSON and stream), ratings, errors, access")
        {
            url, key, token, question, timeout, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!Uri.TryCreate(parseResult.GetRequiredValue(url), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                console.MarkupLineInterpolated($"[red]--url must be an absolute http or https URL: {parseResult.GetRequiredValue(url)}[/]");
                return ExitCodes.Usage;
            }

            if (parseResult.GetValue(timeout) is < 1 or > 3600)
            {
                console.MarkupLine("[red]--timeout must be between 1 and 3600 seconds.[/]");
                return ExitCodes.Usage;
            }

            var target = new VerificationTarget(BaseUrl(address), TimeSpan.FromSeconds(parseResult.GetValue(timeout)))
            {
                Key = NullIfEmpty(parseResult.GetValue(key)),
                Token = NullIfEmpty(parseResult.GetValue(token)),
                Question = NullIfEmpty(parseResult.GetValue(question)),
            };
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var report = await new DeploymentVerifier(new DeploymentClient(http, target)).RunAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(report, RagtuneJson.Indented));
            }
            else
            {
                Write(console, report, target);
            }

            return report.Passed ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>One line per check: <c>fail  health  503 Service Unavailable (code x): unhealthy: ...</c>.</summary>
    private static void Write(IAnsiConsole console, VerificationReport report, VerificationTarget target)
    {
        console.MarkupLineInterpolated($"Verifying {report.Url}");
        var width = DeploymentVerifier.CheckNames.Max(name => name.Length);
        foreach (var check in report.Checks)
        {
            var (word, color) = check.Outcome switch
            {
                CheckOutcome.Pass => ("pass", "green"),
                CheckOutcome.Warn => ("warn", "yellow"),
                CheckOutcome.Fail => ("fail", "red"),
                _ => ("skip", "grey"),
            };
            var status = check.Status is { } code ? $"{ApiReply.Describe(code)}{(check.Code is null ? "" : $" (code {check.Code})")}: " : string.Empty;

            // The line goes straight to the output after its coloured word, so that a narrow or redirected console does not wrap it.
            console.Markup($"[{color}]{word}[/]");
            console.Profile.Out.Writer.WriteLine($"  {check.Name.PadRight(width)}  {status}{check.Detail}");
        }

        var counts = report.Checks.GroupBy(check => check.Outcome).ToDictionary(g => g.Key, g => g.Count());
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{counts.GetValueOrDefault(CheckOutcome.Pass)} passed, {counts.GetValueOrDefault(CheckOutcome.Warn)} warned, {counts.GetValueOrDefault(CheckOutcome.Fail)} failed, {counts.GetValueOrDefault(CheckOutcome.Skip)} skipped"));
        if (target.Token is null && report.Passed)
        {
            console.Profile.Out.Writer.WriteLine("With --token, verify also checks that a forged x-ms-client-principal sees no more than an anonymous caller.");
        }
    }

    /// <summary>The URL with a trailing slash, so that <c>api/health</c> resolves under any path it has.</summary>
    private static Uri BaseUrl(Uri url) => new(url.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
