using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Ragtune.Core.Answering;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Core.Tests.Fakes;
using Ragtune.Testing;

namespace Ragtune.Core.Tests.FineTuning.Tuning;

/// <summary>
/// An export of rated answers ("q question N?" answered "Answer q N [1].", half of them held out for validation), a
/// fake fine-tuning service, a store, and the runner and coordinator over them. The active model answers every prompt
/// with a vague text; the candidate as the test says (<see cref="AnswersWell"/> gives the rated answer back).
/// </summary>
internal sealed partial class TuningSetup : IDisposable
{
    public const string ActiveModelId = "gpt-4.1-mini";

    private readonly RatedAnswers _answers = new();

    public TuningSetup(int minExamples = 4)
    {
        _answers.Options.ValidationPercent = 50;
        Options.Gate.MinExamples = minExamples;
        Options.PollInterval = TimeSpan.FromMinutes(1);
        Active = new AnswerChatClient(_ => "The answer is in the documents.");
        ActiveModel = new ActiveChatModel(Store, Microsoft.Extensions.Options.Options.Create(Options), Time, NullLogger<ActiveChatModel>.Instance);
        Chat = new ActiveModelChatClient(Active, ChatModelProfile.ForModel(ActiveModelId), ActiveModel, Service);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    public TuningOptions Options { get; } = new();

    public InMemoryTuningRunStore Store { get; } = new();

    public FakeFineTuningService Service { get; } = new();

    public InMemoryDatasetWriter Exports => _answers.Writer;

    public AnswerChatClient Active { get; }

    public ActiveChatModel ActiveModel { get; }

    /// <summary>The chat pipeline as the hosts build it: the active model, selected per call.</summary>
    public ActiveModelChatClient Chat { get; }

    /// <summary>The rated answer of a prompt's question.</summary>
    public static string AnswersWell(string prompt) => $"Answer q {QuestionNumber().Match(prompt).Groups[1].Value} [1].";

    /// <summary>Rates <paramref name="count"/> answers up and exports them; returns the export's name.</summary>
    public async Task<string> ExportAsync(int count = 30)
    {
        await _answers.UpRatedAsync(count);
        var result = await _answers.Exporter().ExportAsync();
        return result.Manifest!.Name;
    }

    /// <summary>A runner as a host composes it (a new one stands for a new process: it shares only the store and the service).</summary>
    public TuningRunner Runner() => new(
        Store,
        Service,
        Exports,
        new GateEvaluator(new CountingEmbeddingGenerator(16), Microsoft.Extensions.Options.Options.Create(Options)),
        Chat,
        ChatModelProfile.ForModel(ActiveModelId),
        ActiveModel,
        Microsoft.Extensions.Options.Options.Create(Options),
        Time,
        NullLogger<TuningRunner>.Instance);

    public TuningCoordinator Coordinator() => new(
        Store,
        Runner(),
        Exports,
        Service,
        ActiveModel,
        ChatModelProfile.ForModel(ActiveModelId),
        Microsoft.Extensions.Options.Options.Create(Options),
        Microsoft.Extensions.Options.Options.Create(_answers.Options),
        Time,
        NullLogger<TuningCoordinator>.Instance);

    /// <summary>The run's report, as saved beside the export.</summary>
    public TuningReport Report(TuningRun run) =>
        TuningReport.Read(Exports.Committed.Single(e => e.Name == run.Export).Reports[run.Method.ReportFile()]);

    /// <summary>The model the next answer comes from, as the chat pipeline names it.</summary>
    public async Task<string?> AnsweringModelAsync()
    {
        var response = await Chat.GetResponseAsync([new ChatMessage(ChatRole.User, "q question 1?")]);
        return response.ModelId;
    }

    public void Dispose() => ActiveModel.Dispose();

    [GeneratedRegex(@"q question (\d+)\?")]
    private static partial Regex QuestionNumber();
}
