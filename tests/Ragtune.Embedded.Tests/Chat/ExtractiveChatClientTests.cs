using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Core.Index;
using Ragtune.Embedded.Chat;
using Ragtune.Embedded.Embeddings;
using Ragtune.Embedded.Storage;
using Ragtune.Embedded.Tests.Storage;
using Ragtune.Testing;

namespace Ragtune.Embedded.Tests.Chat;

/// <summary>The extractive answerer reads its sentences' vectors computed once, and chooses as it would from vectors computed for the question.</summary>
public sealed class ExtractiveChatClientTests : IDisposable
{
    private const string Battery = "The battery is covered for 2 years or 500 full charge cycles, whichever comes first. "
        + "Normal wear parts such as tyres and brake pads are not covered. The battery keeps 70% of its capacity within the warranty.";

    private const string Claims = "# How to make a claim\n\n- Find your order number and the frame serial number under the bottom bracket.\n"
        + "- Email the warranty team with the order number, the serial number and photos of the problem.\n"
        + "| Part | Coverage |\n|---|---|\n| Motor and controller | 3 years |";

    private static readonly string[] Questions =
        ["How long is the battery covered?", "Are tyres covered?", "How do I make a claim?", "How long is the motor covered?"];

    private readonly TestIndex _index = TestIndex.Create();
    private readonly CountingEmbeddingGenerator _embeddings = new();

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Answer_FromStoredSentenceVectors_IsTheAnswerFromVectorsEmbeddedForEachQuestion()
    {
        var stored = Vectors(new SqliteSentenceVectorStore(_index.Database));
        await stored.IndexAsync("doc-battery", 1, [Chunk("doc-battery", Battery)]);
        await stored.IndexAsync("doc-claims", 1, [Chunk("doc-claims", Claims)]);
        var everyTime = Client(Vectors(new ForgetfulStore()));
        var once = Client(stored);
        var callsBefore = _embeddings.Calls;

        foreach (var question in Questions)
        {
            var vector = (await _embeddings.GenerateAsync([question]))[0].Vector;
            var expected = await AnswerAsync(everyTime, new GroundingContext(question, Sources()));

            Assert.Equal(expected, await AnswerAsync(once, new GroundingContext(question, Sources(), vector)));
        }

        // Per question: the question's vector above, then the forgetful answerer's question and sentences; the other none.
        Assert.Equal(callsBefore + (3 * Questions.Length), _embeddings.Calls);
    }

    [Fact]
    public async Task Answer_QuotingSentencesNotStoredYet_EmbedsThemOnceAndStoresThem()
    {
        var client = Client(Vectors(new SqliteSentenceVectorStore(_index.Database)));

        await AnswerAsync(client, new GroundingContext(Questions[0], Sources()));
        var inputsAfterFirst = _embeddings.Inputs;
        await AnswerAsync(client, new GroundingContext(Questions[1], Sources()));

        Assert.True(inputsAfterFirst > 5, $"{inputsAfterFirst} inputs");
        Assert.Equal(inputsAfterFirst + 1, _embeddings.Inputs);
    }

    [Fact]
    public void Hash_DependsOnTheModelAndTheSentence()
    {
        var vectors = Vectors(new ForgetfulStore());

        Assert.Equal(32, vectors.HashOf("A sentence.").Length);
        Assert.Equal(vectors.HashOf("A sentence."), vectors.HashOf("A sentence."));
        Assert.NotEqual(vectors.HashOf("A sentence."), vectors.HashOf("Another sentence."));
        var otherModel = new SentenceVectors(_embeddings, MiniLmModel.CreateProfile() with { ModelId = "other" }, new ForgetfulStore(), Options.Create(new ExtractiveOptions()));
        Assert.NotEqual(vectors.HashOf("A sentence."), otherModel.HashOf("A sentence."));
    }

    private SentenceVectors Vectors(ISentenceVectorStore store) =>
        new(_embeddings, MiniLmModel.CreateProfile(), store, Options.Create(new ExtractiveOptions()));

    private ExtractiveChatClient Client(SentenceVectors vectors) => new(_embeddings, vectors, Options.Create(new ExtractiveOptions { RelativeScoreFloor = 0f }));

    private static IReadOnlyList<Citation> Sources() =>
    [
        new(1, "doc-battery", "warranty.md", 1, "doc-battery-0", 0.6f, Battery),
        new(2, "doc-claims", "claims.md", 2, "doc-claims-0", 0.5f, Claims),
    ];

    private static IndexChunk Chunk(string documentId, string text) =>
        new($"{documentId}-0", documentId, 0, $"{documentId}.md", 1, text, DocumentIds.ContentHash(text), [], new float[] { 1f });

    private static async Task<string> AnswerAsync(IChatClient client, GroundingContext grounding)
    {
        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, grounding.Question)],
            new ChatOptions { AdditionalProperties = new() { [GroundingContext.PropertyName] = grounding } });
        return response.Text;
    }

    /// <summary>A store that keeps nothing: every answer embeds every sentence, as the answerer did before vectors were stored.</summary>
    private sealed class ForgetfulStore : ISentenceVectorStore
    {
        public Task<IReadOnlyDictionary<SentenceKey, float[]>> FindAsync(IReadOnlyCollection<SentenceKey> keys, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyDictionary<SentenceKey, float[]>>(new Dictionary<SentenceKey, float[]>());

        public Task SaveAsync(IReadOnlyList<(SentenceKey Key, float[] Vector)> vectors, long? generation, CancellationToken cancellationToken = default) =>
            Task.CompletedTask;
    }
}
