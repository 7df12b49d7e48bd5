using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Ragtune.Core.Embeddings;
using Ragtune.Core.Index;

namespace Ragtune.Core.Retrieval;

/// <summary>
/// Embeds a query, searches the index, and keeps only the chunks whose true cosine similarity with the query passes
/// the threshold: computed from the vectors, never from a fused or engine-specific score, whatever the mode.
/// </summary>
public sealed class Retriever(
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    IChunkIndex index,
    EmbeddingModelProfile embeddingModel,
    IOptions<RetrievalOptions> options)
{
    private readonly RetrievalOptions _options = options.Value;

    /// <summary>The threshold used when a request does not give one.</summary>
    public float DefaultMinSimilarity => _options.MinSimilarity ?? embeddingModel.DefaultMinSimilarity;

    public async Task<RetrievalResult> RetrieveAsync(RetrievalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Top, 1);
        var minSimilarity = request.MinSimilarity ?? DefaultMinSimilarity;

        var started = Stopwatch.GetTimestamp();
        var vector = await embeddings.GenerateVectorAsync(request.Query, cancellationToken: cancellationToken);
        var embedded = Stopwatch.GetTimestamp();

        var candidates = await index.SearchAsync(
            new ChunkQuery(request.Mode, request.Query, vector, request.Top * _options.CandidatesPerResult, request.Filter),
            cancellationToken);
        var searched = Stopwatch.GetTimestamp();

        // Candidates keep the mode's ranking; the threshold only removes.
        var passed = candidates.Where(hit => hit.Similarity >= minSimilarity).Take(request.Top).ToList();
        return new RetrievalResult(
            passed,
            minSimilarity,
            vector,
            Stopwatch.GetElapsedTime(started, embedded),
            Stopwatch.GetElapsedTime(embedded, searched));
    }
}
