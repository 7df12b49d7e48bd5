using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Core.Answering;
using Ragtune.Core.Embeddings;
using Ragtune.Core.Feedback;
using Ragtune.Core.Index;
using Ragtune.Core.Retrieval;
using Ragtune.Core.Tokens;
using Ragtune.Testing;
using Ragtune.Testing.Telemetry;

namespace Ragtune.OpenAI.Tests.Chat;

/// <summary>
/// Core's real <see cref="QuestionAnswerer"/> in front of a chat client under test, over an index that finds one chunk
/// well above the threshold for any query: so that what reaches the chat service is exactly what Ragtune sends for a
/// grounded question.
/// </summary>
internal static class OneChunkAnswerer
{
    public const string Source = "warranty.md";

    public const string ChunkText = "The battery of every Voltbike is covered for two years or 500 charge cycles, whichever comes first.";

    public const string Question = "How long is the battery warranty?";

    public static QuestionAnswerer Create(IChatClient chat, string model, IInteractionStore? interactions = null)
    {
        var chatModel = ChatModelProfile.ForModel(model);
        var answerOptions = Options.Create(new AnswerOptions());
        var embeddingModel = new EmbeddingModelProfile("stub", Dimensions: 3, MaxInputTokens: 512, ReservedTokens: 2, ChatModelTokenizers.ForModel(model), DefaultMinSimilarity: 0.3f);
        var documentId = DocumentIds.ForSource(Source);
        var index = new StubChunkIndex();
        index.Hits.Add(new ChunkHit(
            new IndexChunk(DocumentIds.ForChunk(documentId, 0), documentId, 0, Source, 1, ChunkText, DocumentIds.ContentHash(ChunkText), [], ReadOnlyMemory<float>.Empty),
            Similarity: 0.8f,
            Score: 0.8));
        var retriever = new Retriever(new FixedEmbeddingGenerator(), index, embeddingModel, Options.Create(new RetrievalOptions()));
        return new QuestionAnswerer(
            retriever,
            new QueryRewriter(chat, chatModel),
            new PromptBuilder(answerOptions, chatModel),
            chat,
            chatModel,
            interactions ?? new InMemoryInteractionStore(),
            answerOptions,
            TimeProvider.System,
            TestMeterFactory.Metrics(),
            NullLogger<QuestionAnswerer>.Instance);
    }

    public static QuestionRequest Request(string question = Question, IReadOnlyList<ChatTurn>? history = null) =>
        new(question, history ?? [], SearchMode.Hybrid, Top: 5, MinSimilarity: null, ChunkFilter.Public);

    private sealed class FixedEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(_ => new Embedding<float>(new float[] { 1, 0, 0 }))));

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
