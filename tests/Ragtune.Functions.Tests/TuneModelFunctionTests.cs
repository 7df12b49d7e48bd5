using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Ragtune.Azure.Storage;
using Ragtune.Core;
using Ragtune.Core.Api;
using Ragtune.Core.Embeddings;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Core.Index;
using Ragtune.Core.Tokens;
using Ragtune.Functions.FineTuning;
using Ragtune.OpenAI;
using Ragtune.Testing;
using Ragtune.Testing.Loopback;
using Xunit.Abstractions;

namespace Ragtune.Functions.Tests;

/// <summary>
/// The TuneModel timer on the Functions app's services (Core, the chat and fine-tuning providers as Program.cs adds
/// them, runs in Table Storage and exports in Blob Storage on Azurite) with <c>azure-openai</c> for both the chat model
/// and fine-tuning, at a loopback stand-in for the Azure OpenAI resource and Azure Resource Manager: with AutoTune on,
/// each pass takes a run as far as it goes without waiting, until a better candidate is deployed and answers, or a
/// worse one's deployment is deleted and nothing changes.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class TuneModelFunctionTests(Azurite azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private const string BaseModel = "gpt-4.1-mini";
    private const string SystemPrompt = "You answer questions about the user's documents.";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(1);

    private readonly InMemoryInteractionStore _interactions = new();
    private LoopbackFineTuningService _service = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _service = await LoopbackFineTuningService.StartAsync();
        var endpoint = _service.AzureEndpoint.ToString();
        var settings = new Dictionary<string, string?>
        {
            ["Ragtune:Chat:Provider"] = "azure-openai",
            ["Ragtune:Chat:Endpoint"] = endpoint,
            ["Ragtune:Chat:Model"] = BaseModel,
            ["Ragtune:FineTuning:Provider"] = "azure-openai",
            ["Ragtune:FineTuning:Endpoint"] = endpoint,
            ["Ragtune:FineTuning:Azure:SubscriptionId"] = "sub-1",
            ["Ragtune:FineTuning:Azure:ResourceGroup"] = "rg-ragtune",
            ["Ragtune:FineTuning:Azure:Account"] = "aoai-ragtune",
            ["Ragtune:FineTuning:Azure:ManagementEndpoint"] = endpoint,
            ["Ragtune:FineTuning:AutoTune"] = "true",
            ["Ragtune:FineTuning:ActiveModelCacheTime"] = "00:00:00",
            ["Ragtune:FineTuning:ValidationPercent"] = "50",
            ["Ragtune:FineTuning:MinTrainingExamples"] = "5",
            ["Ragtune:FineTuning:Gate:MinExamples"] = "4",
        };
        var storage = Microsoft.Extensions.Options.Options.Create(new AzureStorageOptions
        {
            ConnectionString = azurite.ConnectionString,
            DatasetsContainer = Azurite.UniqueName("datasets"),
            DocumentsTable = Azurite.UniqueName("documents"),
            TuningTable = Azurite.UniqueName("tuning"),
        });

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddRagtuneCore();
        services.AddRagtuneChat();
        services.AddRagtuneFineTuning();
        services.AddRagtuneFunctions();
        services.AddSingleton<TokenCredential>(new StaticTokenCredential());
        services.AddSingleton(storage);
        services.AddSingleton(new BlobServiceClient(azurite.ConnectionString));
        services.AddSingleton(new StorageTables(new TableServiceClient(azurite.ConnectionString)));
        services.AddSingleton<IDocumentCatalog, TableDocumentCatalog>();
        services.AddSingleton<IDatasetStore, BlobDatasetStore>();
        services.AddSingleton<ITuningRunStore, TableTuningRunStore>();
        services.AddSingleton<IInteractionStore>(_interactions);
        services.AddSingleton<IChunkIndex>(new InMemoryChunkIndex());
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new CountingEmbeddingGenerator());
        services.AddSingleton(new EmbeddingModelProfile("test-embeddings", 8, 512, 0, ChatModelTokenizers.ForEncoding(ChatModelTokenizers.Cl100kBase), 0.3f));
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task Timer_AutoTune_ABetterCandidate_IsDeployed_Promoted_AndAnswersTheNextQuestion()
    {
        _service.Answer = (deployment, messages) => deployment == BaseModel ? "I am not sure what the warranty covers [1]." : RightAnswerTo(messages);
        await RateAsync(20, down: true);
        var export = await ExportAsync();

        var run = await TimerUntilEndedAsync();

        output.WriteLine(await ReportAsync(export));
        Assert.Equal((TuningState.Promoted, TuningVerdict.Promoted), (run.State, run.Verdict));
        Assert.True(run.Evaluation!.Ci95[0] > 0);
        Assert.Single(_service.Jobs);
        Assert.Equal(run.RunId, run.ServingDeployment);
        Assert.Equal([run.RunId], _service.Deployments.Keys);
        Assert.Equal((LoopbackFineTuningService.FineTunedModel, "Standard"), _service.Deployments[run.RunId]);
        var response = await _services.GetRequiredService<IChatClient>().GetResponseAsync([new ChatMessage(ChatRole.User, "Question 99: how long is the warranty?")]);
        Assert.Equal((run.RunId, RightAnswer(99)), (response.ModelId, response.Text));
        Assert.Equal(run.RunId, _service.ChatModels()[^1]);
    }

    [Fact]
    public async Task Timer_AutoTune_AWorseCandidate_IsRejected_ItsDeploymentDeleted_AndNothingChanges()
    {
        _service.Answer = (deployment, messages) => deployment == BaseModel ? RightAnswerTo(messages) : "The battery is blue.";
        await RateAsync(20, down: false);
        var export = await ExportAsync();

        var run = await TimerUntilEndedAsync();

        output.WriteLine(await ReportAsync(export));
        Assert.Equal((TuningState.Rejected, TuningVerdict.Rejected), (run.State, run.Verdict));
        Assert.True(run.Evaluation!.Difference < 0);
        Assert.Contains(_service.Server.Requests, r => r.Method == "PUT" && r.Path.EndsWith($"/deployments/{run.RunId}-eval", StringComparison.Ordinal));
        Assert.Empty(_service.Deployments);
        var response = await _services.GetRequiredService<IChatClient>().GetResponseAsync([new ChatMessage(ChatRole.User, "Question 99: how long is the warranty?")]);
        Assert.Equal(BaseModel, response.ModelId);
        Assert.Equal(BaseModel, (await _services.GetRequiredService<TuningCoordinator>().GetStatusAsync()).ActiveModel);
    }

    /// <summary>Runs the timer function, as the Functions host would every ten minutes, until the newest run has ended.</summary>
    private async Task<TuningRun> TimerUntilEndedAsync()
    {
        var function = new TuneModelFunction(_services.GetRequiredService<TuningCoordinator>(), NullLogger<TuneModelFunction>.Instance);
        var store = _services.GetRequiredService<ITuningRunStore>();
        TuningRun? last = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                await function.RunAsync(new TimerInfo(), CancellationToken.None);
                var runs = await store.ListAsync();
                last = runs.Count == 0 ? null : runs[0];
                return last is { IsTerminal: true };
            },
            Deadline,
            $"the tuning run ends (last seen: {last?.State})");
        return last!;
    }

    /// <summary>
    /// Records answers to questions 1..<paramref name="count"/> (the prompt the answerer would send) and rates each: the
    /// right answer up, or (<paramref name="down"/>) an unsure one down with the right answer as its correction.
    /// </summary>
    private async Task RateAsync(int count, bool down)
    {
        for (var n = 1; n <= count; n++)
        {
            var question = $"Question {n}: how long is the battery warranty?";
            List<PromptMessage> prompt =
            [
                new("system", SystemPrompt),
                new("user", $"Answer the question. Context: <source id=\"1\" file=\"battery.md\">The battery warranty lasts 2 years.</source>\n{question}"),
            ];
            var interaction = new Interaction(
                Ulid.New(TimeProvider.System), DateTimeOffset.UtcNow, question, [], question, SearchMode.Hybrid, 0.3f, [], prompt,
                "test-prompt-1", BaseModel, down ? "I am not sure [1]." : RightAnswer(n), true, TokenUsage.None, new AnswerTimings(1, 1), []);
            await _interactions.RecordAsync(interaction);
            var rating = down ? new FeedbackSubmission(interaction.AnswerId, FeedbackRating.Down, RightAnswer(n), null) : new FeedbackSubmission(interaction.AnswerId, FeedbackRating.Up, null, null);
            await new FeedbackRecorder(_interactions, TimeProvider.System).RateAsync(rating, AccessScope.Unrestricted);
        }
    }

    private async Task<string> ExportAsync()
    {
        var result = await _services.GetRequiredService<DatasetExporter>().ExportAsync();
        return result.Manifest!.Name;
    }

    private async Task<string> ReportAsync(string export)
    {
        var bytes = await _services.GetRequiredService<IDatasetWriter>().ReadFileAsync(export, TuningMethod.Sft.ReportFile());
        return Encoding.UTF8.GetString(bytes!);
    }

    private static string RightAnswer(int n) => $"Answer {n}: two years or 500 full charge cycles, whichever comes first [1].";

    private static string RightAnswerTo(IReadOnlyList<(string Role, string Content)> messages) =>
        RightAnswer(int.Parse(QuestionNumber().Match(messages[^1].Content).Groups[1].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"Question (\d+):")]
    private static partial Regex QuestionNumber();

    private sealed class StaticTokenCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("entra-token", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
