using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Ragtune.Core.Embeddings;
using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Chat;

/// <summary>A sentence of a retrieved chunk, and the document it comes from.</summary>
internal readonly record struct DocumentSentence(string DocumentId, string Text);

/// <summary>
/// The vectors of the sentences the extractive answerer may quote, computed once rather than for every answer: at
/// ingestion, for the sentences of each document's new chunks (<see cref="IndexAsync"/>, when the extractive answerer is
/// the chat provider), else at the first answer that quotes them (<see cref="GetAsync"/>). They are kept beside the
/// document's chunks (<see cref="ISentenceVectorStore"/>) under a hash of the embedding model and the sentence, so the
/// same sentence reads the same vector whichever way it was computed, and they go with the document's chunks.
/// </summary>
public sealed class SentenceVectors(
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    EmbeddingModelProfile model,
    ISentenceVectorStore store,
    IOptions<ExtractiveOptions> options) : IChunkSentenceIndexer
{
    private readonly int _minSentenceWords = options.Value.MinSentenceWords;

    /// <summary>
    /// The sentences' vectors, in order: those stored, and the others embedded in one call and stored for the next answer.
    /// </summary>
    internal async Task<IReadOnlyList<ReadOnlyMemory<float>>> GetAsync(IReadOnlyList<DocumentSentence> sentences, CancellationToken cancellationToken = default)
    {
        var keys = sentences.Select(sentence => new SentenceKey(sentence.DocumentId, HashOf(sentence.Text))).ToList();
        var vectors = await FindOrEmbedAsync(keys, sentences.Select(sentence => sentence.Text).ToList(), generation: null, cancellationToken);
        return [.. keys.Select(key => (ReadOnlyMemory<float>)vectors[key])];
    }

    /// <summary>Computes (or keeps, stamped with <paramref name="generation"/>) the vectors of the sentences of a batch of a document's chunks.</summary>
    public async Task IndexAsync(string documentId, long generation, IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default)
    {
        var texts = chunks.SelectMany(chunk => AnswerSentences.Of(chunk.Text, _minSentenceWords)).Distinct(StringComparer.Ordinal).ToList();
        await FindOrEmbedAsync([.. texts.Select(text => new SentenceKey(documentId, HashOf(text)))], texts, generation, cancellationToken);
    }

    /// <summary>The key's hash: SHA-256 of the embedding model's id and the sentence, its first 16 bytes in hex.</summary>
    internal string HashOf(string sentence) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{model.ModelId}\n{sentence}")).AsSpan(0, 16));

    /// <summary>
    /// The vectors of <paramref name="keys"/> (the sentences <paramref name="texts"/>): found, or embedded and saved. At
    /// ingestion (a <paramref name="generation"/>) the found ones are saved again, to carry the replacement's stamp.
    /// </summary>
    private async Task<Dictionary<SentenceKey, float[]>> FindOrEmbedAsync(
        List<SentenceKey> keys, List<string> texts, long? generation, CancellationToken cancellationToken)
    {
        var found = await store.FindAsync(keys.Distinct().ToList(), cancellationToken);
        var vectors = new Dictionary<SentenceKey, float[]>(found);
        var missing = new List<(SentenceKey Key, string Text)>();
        var requested = new HashSet<SentenceKey>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (!vectors.ContainsKey(keys[i]) && requested.Add(keys[i]))
            {
                missing.Add((keys[i], texts[i]));
            }
        }

        if (missing.Count > 0)
        {
            var generated = await embeddings.GenerateAsync(missing.Select(m => m.Text), cancellationToken: cancellationToken);
            if (generated.Count != missing.Count)
            {
                throw new InvalidOperationException($"The embedding generator returned {generated.Count} embeddings for {missing.Count} sentences.");
            }

            for (var i = 0; i < missing.Count; i++)
            {
                vectors[missing[i].Key] = generated[i].Vector.ToArray();
            }
        }

        var save = generation is null ? missing.Select(m => (m.Key, vectors[m.Key])) : vectors.Select(pair => (pair.Key, pair.Value));
        await store.SaveAsync([.. save], generation, cancellationToken);
        return vectors;
    }
}
