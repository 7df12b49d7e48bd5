using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Ragtune.Core.Answering;
using Ragtune.Core.Index;
using Ragtune.Core.Retrieval;
using Ragtune.Core.Tests.Chunking;
using Ragtune.Core.Tests.Fakes;
using Ragtune.Core.Telemetry;
using Ragtune.Testing;
using Ragtune.Testing.Telemetry;

namespace Ragtune.Core.Tests.Answering;

/// <summary>A <see cref="QuestionAnswerer"/> over fakes: a stub index that returns given hits, a recording chat model.</summary>
internal sealed class AnswererBuilder
{
    public StubChunkIndex Index { get; } = new();

    public RecordingChatClient Chat { get; set; } = new();

    /// <summary>The chat pipeline the answerer calls, when it is not <see cref="Chat"/> itself (a decorator over it).</summary>
    public Microsoft.Extensions.AI.IChatClient? Pipeline { get; set; }

    public InMemoryInteractionStore Interactions { get; } = new();

    public AnswerOptions Options { get; } = new();

    public ChatModelProfile ChatModel { get; set; } = ChatModelProfile.ForModel("gpt-4o-mini");

    /// <summary>The answerer's clock: it stands still until a test advances it.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Whether the chat model is wrapped in Microsoft.Extensions.AI's OpenTelemetry client, as the hosts wrap theirs.</summary>
    public bool TraceChat { get; set; }

    /// <summary>The meters of the answerer's metrics, this builder's own.</summary>
    public TestMeterFactory Meters { get; } = new();

    public QuestionAnswerer Build()
    {
        var profile = MiniLm.Profile() with { Dimensions = 8 };
        var embeddings = new CountingEmbeddingGenerator();
        var retriever = new Retriever(embeddings, Index, profile, Microsoft.Extensions.Options.Options.Create(new RetrievalOptions()));
        IChatClient chat = TraceChat ? Chat.AsBuilder().UseOpenTelemetry(sourceName: RagtuneTelemetry.GenAISourceName).Build() : Chat;
        return new QuestionAnswerer(
            retriever,
            new QueryRewriter(chat, ChatModel),
            new PromptBuilder(Microsoft.Extensions.Options.Options.Create(Options), ChatModel),
            Pipeline ?? chat,
            ChatModel,
            Interactions,
            Microsoft.Extensions.Options.Options.Create(Options),
            Time,
            new RagtuneMetrics(Meters),
            NullLogger<QuestionAnswerer>.Instance);
    }

    public static ChunkHit Hit(string source, int page, string text, float similarity, double score = 0) =>
        new(new IndexChunk(DocumentIds.ForChunk(DocumentIds.ForSource(source), page), DocumentIds.ForSource(source), page, source, page, text, DocumentIds.ContentHash(text), [], ReadOnlyMemory<float>.Empty), similarity, score);

    public static QuestionRequest Question(string text, int top = 5, float? minSimilarity = null, IReadOnlyList<ChatTurn>? history = null) =>
        new(text, history ?? [], SearchMode.Hybrid, top, minSimilarity, ChunkFilter.Public);
}
