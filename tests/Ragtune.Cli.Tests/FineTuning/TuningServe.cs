using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Http;
using Ragtune.Cli.Tests.CommandLine;
using Ragtune.Cli.Tests.Http;
using Ragtune.Embedded.Files;
using Ragtune.Testing;
using Ragtune.Testing.Loopback;

namespace Ragtune.Cli.Tests.FineTuning;

/// <summary>
/// <c>ragtune serve</c> over one document with its chat model (<see cref="BaseModel"/>) and its fine-tuning service both
/// at a <see cref="LoopbackFineTuningService"/>, fast settings (tuning polled every 200 ms, half the answers held out
/// for validation, the active model read afresh for every answer), and the questions "Question N: ..." whose right
/// answer is <see cref="RightAnswer"/>. The server can be stopped and started again over the same data folder.
/// </summary>
public sealed partial class TuningServe : IAsyncDisposable
{
    public const string BaseModel = "gpt-4.1-mini";

    private const string Document =
        "# Battery warranty\n\nThe battery of every Voltbike is covered by the warranty for two years or 500 full charge cycles, "
        + "whichever comes first. The warranty covers capacity loss below 70 percent of the rated capacity. Opening the battery "
        + "case voids the warranty. Claims are made at any authorised dealer with the proof of purchase.\n";

    private readonly string[] _settings;
    private WebApplication? _app;

    private TuningServe(LoopbackFineTuningService service, string[] settings)
    {
        Service = service;
        _settings = settings;
        Documents.WriteFile("battery-warranty.md", Document);
    }

    public LoopbackFineTuningService Service { get; }

    public TempDirectory Documents { get; } = new();

    public TempDirectory Data { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The settings of both the server and the <c>ragtune tune</c> commands run beside it.</summary>
    public IReadOnlyList<string> Settings => _settings;

    public static async Task<TuningServe> StartAsync(bool autoTune, params string[] settings)
    {
        var service = await LoopbackFineTuningService.StartAsync();
        string[] all =
        [
            "--Logging:LogLevel:Default=Warning",
            "--Ragtune:Chat:Provider=openai-compatible",
            $"--Ragtune:Chat:Endpoint={service.OpenAIBase}",
            $"--Ragtune:Chat:Model={BaseModel}",
            "--Ragtune:Retrieval:MinSimilarity=0.05",
            "--Ragtune:Documents:Watch=false",
            "--Ragtune:FineTuning:Provider=openai-compatible",
            $"--Ragtune:FineTuning:Endpoint={service.OpenAIBase}",
            "--Ragtune:FineTuning:ApiKey=sk-loopback",
            $"--Ragtune:FineTuning:AutoTune={autoTune}",
            "--Ragtune:FineTuning:PollInterval=00:00:00.200",
            "--Ragtune:FineTuning:ActiveModelCacheTime=00:00:00",
            "--Ragtune:FineTuning:ValidationPercent=50",
            "--Ragtune:FineTuning:MinTrainingExamples=5",
            "--Ragtune:FineTuning:Gate:MinExamples=4",
            "--Ragtune:FineTuning:Schedule=",
            .. settings,
        ];
        var serve = new TuningServe(service, all);
        await serve.StartServerAsync();
        return serve;
    }

    /// <summary>The right answer to question <paramref name="n"/>.</summary>
    public static string RightAnswer(int n) => $"Answer {n}: two years or 500 full charge cycles, whichever comes first [1].";

    /// <summary>The right answer to the question in a prompt (its last message), as a well-tuned model gives it.</summary>
    public static string RightAnswerTo(IReadOnlyList<(string Role, string Content)> messages) =>
        RightAnswer(int.Parse(QuestionNumber().Match(messages[^1].Content).Groups[1].Value, CultureInfo.InvariantCulture));

    /// <summary>Starts (or starts again) the server over the data folder, once its documents are ingested.</summary>
    public async Task StartServerAsync()
    {
        _app = ServeHost.Build(new ServeSettings(new CliSettings(new DirectoryInfo(Data.Path), _settings), new DirectoryInfo(Documents.Path), "http://127.0.0.1:0"));
        await _app.StartAsync();
        await _app.Services.GetRequiredService<DocumentFolderWatcher>().FirstSynchronization.WaitAsync(TimeSpan.FromMinutes(2));
        Client = new HttpClient { BaseAddress = _app.Addresses()[0], Timeout = TimeSpan.FromMinutes(1) };
    }

    /// <summary>Stops the server as a killed process would leave things: whatever the store holds stays.</summary>
    public async Task StopServerAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>Asks questions 1..<paramref name="count"/> and rates each answer as <paramref name="rate"/> says (a rating body without the id).</summary>
    public async Task AskAndRateAsync(int count, Func<int, JsonElement, object> rate)
    {
        for (var n = 1; n <= count; n++)
        {
            var answer = await Client.AskAsync(new { question = $"Question {n}: how long is the battery warranty?" });
            Assert.True(answer.GetProperty("grounded").GetBoolean(), $"question {n} is grounded");
            var rating = JsonSerializer.SerializeToElement(rate(n, answer));
            var body = new Dictionary<string, object?> { ["answerId"] = answer.GetProperty("answerId").GetString() };
            foreach (var property in rating.EnumerateObject())
            {
                body[property.Name] = property.Value.GetString();
            }

            using var response = await Client.PostAsJsonAsync("/api/feedback", body);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    /// <summary>POST /api/datasets/export; returns the export's name.</summary>
    public async Task<string> ExportAsync()
    {
        // A JSON body: the export refuses other content types (415), so that no simple cross-site request can start one.
        using var response = await Client.PostAsJsonAsync("/api/datasets/export", new { });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("exported", body.GetProperty("outcome").GetString());
        return body.GetProperty("export").GetProperty("name").GetString()!;
    }

    /// <summary>Runs <c>ragtune tune ...</c> beside the server, on its data folder and settings.</summary>
    public Task<CommandRun> TuneAsync(params string[] args) => RagtuneCommand.RunAsync(["tune", .. args, "--data", Data.Path, .. _settings]);

    /// <summary><c>ragtune tune status --json</c>, parsed.</summary>
    public async Task<JsonElement> StatusAsync()
    {
        var run = await TuneAsync("status", "--json");
        Assert.True(run.ExitCode == ExitCodes.Success, run.Output);
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }

    /// <summary>Waits until the newest run has a state in <paramref name="states"/>; returns its status entry.</summary>
    public async Task<JsonElement> WaitForRunAsync(TimeSpan timeout, params string[] states)
    {
        JsonElement? last = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                var runs = (await StatusAsync()).GetProperty("runs");
                last = runs.GetArrayLength() == 0 ? null : runs[0];
                return last is { } run && states.Contains(run.GetProperty("state").GetString());
            },
            timeout,
            $"a tuning run reaches {string.Join(" or ", states)} (last seen: {last})");
        return last!.Value;
    }

    /// <summary>The run's report, as saved beside its export.</summary>
    public string Report(string export) => File.ReadAllText(Path.Combine(Data.Path, "datasets", export, "tuning-report.sft.json"));

    public async ValueTask DisposeAsync()
    {
        await StopServerAsync();
        await Service.DisposeAsync();
        Documents.Dispose();
        Data.Dispose();
    }

    [GeneratedRegex(@"Question (\d+):")]
    private static partial Regex QuestionNumber();
}
