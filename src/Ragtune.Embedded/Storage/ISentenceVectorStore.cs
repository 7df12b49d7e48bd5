using Ragtune.Core.Index;

namespace Ragtune.Embedded.Storage;

/// <summary>A sentence of a document, by the hash of the embedding model and its text (the key of <see cref="ISentenceVectorStore"/>).</summary>
/// <param name="DocumentId">The document whose chunks hold the sentence.</param>
/// <param name="Hash">The hash of the model and the sentence's text.</param>
public readonly record struct SentenceKey(string DocumentId, string Hash);

/// <summary>
/// Where the vectors of the sentences the extractive answerer quotes are kept, beside each document's chunks: written at
/// ingestion stamped with the replacement's generation (what a committed replacement did not stamp goes with the old
/// chunks), or at the first answer that quotes them (generation 0); removed with the document.
/// </summary>
public interface ISentenceVectorStore
{
    /// <summary>The vectors stored for those of <paramref name="keys"/> that have one.</summary>
    Task<IReadOnlyDictionary<SentenceKey, float[]>> FindAsync(IReadOnlyCollection<SentenceKey> keys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores vectors. With a <paramref name="generation"/> (ingestion), a vector already stored takes that generation;
    /// without (an answer), one already stored is left as it is.
    /// </summary>
    Task SaveAsync(IReadOnlyList<(SentenceKey Key, float[] Vector)> vectors, long? generation, CancellationToken cancellationToken = default);
}

/// <summary>Work done beside a document's new chunks as they are staged: the sentence vectors of the extractive answerer.</summary>
public interface IChunkSentenceIndexer
{
    /// <summary>Makes sure the sentences of <paramref name="chunks"/> have vectors stamped with <paramref name="generation"/>.</summary>
    Task IndexAsync(string documentId, long generation, IReadOnlyList<IndexChunk> chunks, CancellationToken cancellationToken = default);
}
