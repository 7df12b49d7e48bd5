using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Ragtune.Core.Answering;

namespace Ragtune.Embedded.Chat;

/// <summary>
/// The embedded default's answerer: no language model, an <see cref="IChatClient"/> that composes its answer from
/// the sentences of the retrieved chunks that best match the question, each followed by its [n] citation. It reads
/// the question and the numbered sources from the <see cref="GroundingContext"/> that Core passes beside the
/// prompt, and ranks sentences by the embedding model's cosine similarity to the question: the question's vector is the
/// one retrieval searched with, when it searched the question as asked, and the sentences' vectors are computed once
/// (<see cref="SentenceVectors"/>), so an answer costs little more than its retrieval.
/// </summary>
public sealed class ExtractiveChatClient(
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    SentenceVectors sentenceVectors,
    IOptions<ExtractiveOptions> options) : IChatClient
{
    public const string ModelId = "extractive";

    /// <summary>The chat provider name (<c>Ragtune:Chat:Provider</c>) this answerer is registered under, keyed.</summary>
    public const string ProviderName = "extractive";

    /// <summary>The answerer's profile: not generative; its token counts are estimates with o200k_base.</summary>
    public static ChatModelProfile Profile { get; } = ChatModelProfile.ForModel(ModelId, isGenerative: false);

    private static readonly ChatClientMetadata Metadata = new("extractive", providerUri: null, ModelId);

    private readonly ExtractiveOptions _options = options.Value;

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            text.Append(update.Text);
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text.ToString())) { ModelId = ModelId, FinishReason = ChatFinishReason.Stop };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var grounding = options?.AdditionalProperties?.TryGetValue(GroundingContext.PropertyName, out var value) == true
            ? value as GroundingContext
            : null;
        var selected = grounding is null ? [] : await SelectAsync(grounding, cancellationToken);
        if (selected.Count == 0)
        {
            yield return Update(_options.NoAnswer);
            yield break;
        }

        for (var i = 0; i < selected.Count; i++)
        {
            var sentence = selected[i];
            yield return Update($"{(i == 0 ? string.Empty : " ")}{sentence.Text} [{sentence.Source}]");
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    /// <summary>
    /// The best sentence, plus up to <see cref="ExtractiveOptions.MaxSentences"/> - 1 more that score nearly as well,
    /// in the order of the sources and of the text.
    /// </summary>
    private async Task<IReadOnlyList<Candidate>> SelectAsync(GroundingContext grounding, CancellationToken cancellationToken)
    {
        var candidates = new List<Candidate>();
        foreach (var source in grounding.Sources)
        {
            var position = 0;
            foreach (var sentence in AnswerSentences.Of(source.Text, _options.MinSentenceWords))
            {
                candidates.Add(new Candidate(source.Ref, position++, sentence, source.DocumentId));
            }
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        var question = grounding.QuestionVector.IsEmpty
            ? await embeddings.GenerateVectorAsync(grounding.Question, cancellationToken: cancellationToken)
            : grounding.QuestionVector;
        var vectors = await sentenceVectors.GetAsync([.. candidates.Select(c => new DocumentSentence(c.DocumentId, c.Text))], cancellationToken);
        var scored = candidates
            .Select((candidate, i) => new Scored(candidate, vectors[i], TensorPrimitives.CosineSimilarity(question.Span, vectors[i].Span)))
            .OrderByDescending(s => s.Score)
            .ToList();

        var best = scored[0].Score;
        var chosen = new List<Scored>();
        foreach (var sentence in scored)
        {
            if (chosen.Count == _options.MaxSentences || sentence.Score < best * _options.RelativeScoreFloor)
            {
                break;
            }

            // Skip near-repeats (overlapping chunks repeat sentences).
            if (chosen.All(c => TensorPrimitives.CosineSimilarity(c.Vector.Span, sentence.Vector.Span) < _options.DuplicateSimilarity))
            {
                chosen.Add(sentence);
            }
        }

        return [.. chosen.Select(c => c.Candidate).OrderBy(c => c.Source).ThenBy(c => c.Position)];
    }

    private static ChatResponseUpdate Update(string text) =>
        new(ChatRole.Assistant, text) { ModelId = ModelId };

    private sealed record Candidate(int Source, int Position, string Text, string DocumentId);

    private sealed record Scored(Candidate Candidate, ReadOnlyMemory<float> Vector, float Score);
}
