using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Http;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Embedded.Files;
using Ragtune.Testing;
using Spectre.Console;

namespace Ragtune.Cli.Tests.FineTuning;

/// <summary>
/// <c>ragtune serve</c> over HTTP: ask, rate up / down / down with a correction / again, then <c>ragtune export</c> and
/// <c>ragtune validate</c> in the same process, and read the files back.
/// </summary>
public sealed class FeedbackExportRoundTripTests(FeedbackExportRoundTripTests.Server server) : IClassFixture<FeedbackExportRoundTripTests.Server>
{
    private const int ValidationPercent = 25;

    private static readonly string[] Questions =
    [
        "How long is the battery warranty?",
        "Is the frame covered for life?",
        "How long is the motor covered?",
        "Are tyres and brake pads covered?",
        "What voids the warranty?",
        "How do I make a warranty claim?",
        "How should I store the battery in winter?",
        "How long does a full charge take?",
        "At what temperature should I charge the battery?",
        "How often should I check the stored battery?",
        "What is the capital of France?",
        "Who won the football world cup in 1954?",
    ];

    [Fact]
    public async Task AskRateExportValidate_FilesHoldExactlyTheExpectedExamples()
    {
        var answers = new List<(string Question, string AnswerId, string Answer, bool Grounded)>();
        foreach (var question in Questions)
        {
            var response = await server.Http.PostAsJsonAsync("/api/ask", new { question });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            answers.Add((question, body.GetProperty("answerId").GetString()!, body.GetProperty("answer").GetString()!, body.GetProperty("grounded").GetBoolean()));
        }

        Assert.Equal(10, answers.Count(a => a.Grounded));
        Assert.False(answers[10].Grounded);

        // 0-6 and 10 up; 7 down without a correction; 8 and 9 down with one; 1 first corrected, then up; 11 first up,
        // then corrected.
        var expected = new Dictionary<string, (string Sft, string? Preferred, string? Rejected)>();
        for (var i = 0; i < answers.Count; i++)
        {
            var (question, id, answer, _) = answers[i];
            string? correction = i is 8 or 9 or 11 ? $"Corrected answer {i}: see the warranty page [1]." : null;
            if (i == 1)
            {
                await RateAsync(id, "down", "A correction that is replaced.");
            }

            if (i == 11)
            {
                await RateAsync(id, "up");
            }

            await RateAsync(id, i == 7 || correction is not null ? "down" : "up", correction);
            if (i != 7)
            {
                expected[question] = (correction ?? answer, correction, correction is null ? null : answer);
            }
        }

        var output = server.Directory.Combine("datasets");
        var (exitCode, text) = await RunAsync(
            "export", "--data", server.DataDirectory, "--out", output,
            "--Ragtune:FineTuning:MinTrainingExamples=1", $"--Ragtune:FineTuning:ValidationPercent={ValidationPercent}");
        Assert.True(exitCode == ExitCodes.Success, text);

        var folder = Assert.Single(Directory.GetDirectories(output));
        var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "manifest.json"))).RootElement;
        Assert.Equal(Path.GetFileName(folder), manifest.GetProperty("name").GetString());
        Assert.Equal(12, manifest.GetProperty("ratedInteractions").GetInt32());
        Assert.Equal(1, manifest.GetProperty("exclusions").GetProperty(ExclusionReasons.DownWithoutCorrection).GetInt32());

        // Each example in the file its answer's hash puts it in, with the prompt exactly as recorded.
        var store = server.App.Services.GetRequiredService<IInteractionStore>();
        var sft = new Dictionary<string, List<string>> { ["train"] = [], ["valid"] = [] };
        var dpo = new Dictionary<string, List<string>> { ["train"] = [], ["valid"] = [] };
        foreach (var (question, id, _, _) in answers.Where(a => expected.ContainsKey(a.Question)))
        {
            var split = DatasetSplit.IsValidation(id, ValidationPercent) ? "valid" : "train";
            sft[split].Add(question);
            if (expected[question].Preferred is not null)
            {
                dpo[split].Add(question);
            }
        }

        var files = new List<string>();
        foreach (var (kind, splits) in new[] { ("sft", sft), ("dpo", dpo) })
        {
            foreach (var (split, questions) in splits)
            {
                var path = Path.Combine(folder, $"{kind}.{split}.jsonl");
                var hasTraining = splits["train"].Count > 0;
                Assert.True(File.Exists(path) == (hasTraining && questions.Count > 0), $"{kind}.{split}.jsonl exists: {File.Exists(path)}");
                if (!File.Exists(path))
                {
                    continue;
                }

                files.Add(path);
                var lines = (await File.ReadAllTextAsync(path, Encoding.UTF8)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
                Assert.Equal(questions.Order(StringComparer.Ordinal), lines.Select(l => QuestionOf(kind == "sft" ? l : l.GetProperty("input"))).Order(StringComparer.Ordinal));
                foreach (var line in lines)
                {
                    var question = QuestionOf(kind == "sft" ? line : line.GetProperty("input"));
                    var id = answers.Single(a => a.Question == question).AnswerId;
                    var recorded = (await store.FindAsync(id))!.Prompt.Select(m => (m.Role, m.Content));
                    var messages = (kind == "sft" ? line : line.GetProperty("input")).GetProperty("messages").EnumerateArray()
                        .Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList();
                    if (kind == "sft")
                    {
                        Assert.Equal([.. recorded, ("assistant", expected[question].Sft)], messages);
                    }
                    else
                    {
                        Assert.Equal(recorded, messages);
                        Assert.Equal(expected[question].Preferred, line.GetProperty("preferred_output")[0].GetProperty("content").GetString());
                        Assert.Equal(expected[question].Rejected, line.GetProperty("non_preferred_output")[0].GetProperty("content").GetString());
                    }
                }
            }
        }

        Assert.Contains(files, f => f.EndsWith("sft.train.jsonl", StringComparison.Ordinal));
        var (validated, report) = await RunAsync(["validate", .. files]);
        Assert.True(validated == ExitCodes.Success, report);

        var (again, upToDate) = await RunAsync("export", "--data", server.DataDirectory, "--out", output);
        Assert.Equal(ExitCodes.Success, again);
        Assert.Contains("Up to date", upToDate, StringComparison.Ordinal);
        Assert.Single(Directory.GetDirectories(output));
    }

    [Fact]
    public async Task Validate_FileWithProblems_ReportsLineNumbersAndExitsOne()
    {
        var file = server.Directory.WriteFile("bad.jsonl", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello.\"}]}\n{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}\n");

        var (exitCode, text) = await RunAsync("validate", file);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Contains($"{file}:2: {FineTuneExampleValidator.ExampleMissingAssistantMessage}", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"{file}:1:", text, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, (await RunAsync("validate", server.Directory.Combine("missing.jsonl"))).ExitCode);
    }

    [Fact]
    public async Task Feedback_UnknownAnswer_Is404ProblemDetails()
    {
        var response = await server.Http.PostAsJsonAsync("/api/feedback", new { answerId = "01KBZ0000000000000000000AA", rating = "up" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("not-found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{\"answerId\": \"01KBZ0000000000000000000AA\", \"rating\": \"sideways\"}", "invalid-request")]
    [InlineData("{\"rating\": \"up\"}", "invalid-request")]
    [InlineData("{\"answerId\": \"01KBZ0000000000000000000AA\", \"rating\": \"up\", \"correction\": \"Better.\"}", "invalid-request")]
    [InlineData("{\"answerId\": \"01KBZ0000000000000000000AA\", \"rating\": 1}", "malformed-json")]
    [InlineData("{\"answerId\": ", "malformed-json")]
    public async Task Feedback_MalformedRequest_Is400ProblemDetails(string body, string code)
    {
        var response = await server.Http.PostAsync("/api/feedback", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Feedback_CorrectionOverTheLimit_Is400()
    {
        var ask = await (await server.Http.PostAsJsonAsync("/api/ask", new { question = "How long is the motor covered?" })).Content.ReadFromJsonAsync<JsonElement>();

        var response = await server.Http.PostAsJsonAsync("/api/feedback", new { answerId = ask.GetProperty("answerId").GetString(), rating = "down", correction = new string('x', 16_001) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("correction", out _));
    }

    private async Task RateAsync(string answerId, string rating, string? correction = null)
    {
        var response = await server.Http.PostAsJsonAsync("/api/feedback", new { answerId, rating, correction });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>The question of an example, from the end of its user message.</summary>
    private static string QuestionOf(JsonElement withMessages) =>
        withMessages.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("role").GetString() == "user").GetProperty("content").GetString()!.Split("Question: ")[^1];

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 400;
        var exitCode = await RagtuneCommandLine.RunAsync(args, console);
        return (exitCode, writer.ToString());
    }

    /// <summary><c>ragtune serve</c> on a free loopback port over two small Markdown files, once for the class.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public TempDirectory Directory { get; } = new();

        public string DataDirectory => Directory.Combine("data");

        public WebApplication App { get; private set; } = null!;

        public HttpClient Http { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Directory.WriteFile("docs/warranty.md", """
                # Warranty

                The frame and fork are covered for life, for the original owner. The motor and controller are covered for
                three years. The battery is covered for two years or 500 full charge cycles, whichever comes first.

                Tyres, brake pads, chains and grips are wear parts and are not covered. Opening the battery case or using
                an unapproved charger voids the warranty.

                To make a warranty claim, send the order number, the frame serial number and photos of the problem.
                """);
            Directory.WriteFile("docs/battery.md", """
                # Battery care

                Charge the battery at room temperature, between 10 and 30 degrees Celsius. A full charge takes about five
                hours with the standard charger.

                To store the battery in winter, keep it indoors at 40 to 60 percent charge. Check the charge of a stored
                battery every two months and top it up when it falls below 30 percent.
                """);
            var settings = new ServeSettings(
                new CliSettings(new DirectoryInfo(DataDirectory), ["--Ragtune:Documents:Watch=false"]),
                new DirectoryInfo(Directory.Combine("docs")),
                "http://127.0.0.1:0");
            App = ServeHost.Build(settings);
            await App.StartAsync();
            await App.Services.GetRequiredService<DocumentFolderWatcher>().FirstSynchronization.WaitAsync(TimeSpan.FromMinutes(3));
            Http = new HttpClient { BaseAddress = App.Addresses()[0] };
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
            Directory.Dispose();
        }
    }
}
