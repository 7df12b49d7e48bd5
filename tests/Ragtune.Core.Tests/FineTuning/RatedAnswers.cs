using Ragtune.Testing;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Core.Index;
using Ragtune.Core.Tests.Fakes;

namespace Ragtune.Core.Tests.FineTuning;

/// <summary>Recorded answers and their ratings in an in-memory store, and an exporter over them.</summary>
internal sealed class RatedAnswers
{
    public const string System = "You answer questions about the user's documents.";

    public InMemoryInteractionStore Store { get; } = new();

    public InMemoryDatasetWriter Writer { get; } = new();

    /// <summary>The documents the answers cite, with their current groups.</summary>
    public InMemoryDocumentCatalog Catalog { get; } = new();

    /// <summary>One training example is enough, and none is held out unless a test says so (one held out would leave no training example).</summary>
    public FineTuningOptions Options { get; } = new() { MinTrainingExamples = 1, ValidationPercent = 0 };

    public DatasetExporter Exporter(InMemoryDatasetWriter? writer = null, IInteractionStore? store = null) =>
        new(store ?? Store, Catalog, writer ?? Writer, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<DatasetExporter>.Instance);

    /// <summary>Records an answer with the prompt the answerer would have sent; returns it.</summary>
    public async Task<Interaction> AnswerAsync(
        string question, string answer, bool grounded = true, IReadOnlyList<ChatTurn>? history = null, IReadOnlyList<Citation>? chunks = null, IReadOnlyList<string>? callerGroups = null)
    {
        var context = grounded ? "\n<source id=\"1\" file=\"battery.md\" page=\"1\">\nThe battery warranty lasts 2 years.\n</source>\n" : "(no passage of the documents matches the question)";
        List<PromptMessage> prompt =
        [
            new("system", System),
            .. (history ?? []).Select(t => new PromptMessage(t.Role, t.Content)),
            new("user", $"Answer the question. Context: {context}\n Question: {question}"),
        ];
        var interaction = new Interaction(
            Ulid.New(TimeProvider.System), DateTimeOffset.UtcNow, question, history ?? [], question, SearchMode.Hybrid, 0.3f, chunks ?? [], prompt,
            "test-prompt-1", "gpt-4.1-mini", answer, grounded, TokenUsage.None, new AnswerTimings(1, 1), callerGroups ?? []);
        await Store.RecordAsync(interaction);
        return interaction;
    }

    public Task<AnswerFeedback?> RateAsync(Interaction interaction, FeedbackRating rating, string? correction = null) =>
        new FeedbackRecorder(Store, TimeProvider.System).RateAsync(new FeedbackSubmission(interaction.AnswerId, rating, correction, null), AccessScope.Unrestricted);

    /// <summary>Records and rates up <paramref name="count"/> distinct answers.</summary>
    public async Task<List<Interaction>> UpRatedAsync(int count, string prefix = "q")
    {
        var answers = new List<Interaction>();
        for (var i = 0; i < count; i++)
        {
            var interaction = await AnswerAsync($"{prefix} question {i}?", $"Answer {prefix} {i} [1].");
            await RateAsync(interaction, FeedbackRating.Up);
            answers.Add(interaction);
        }

        return answers;
    }
}
