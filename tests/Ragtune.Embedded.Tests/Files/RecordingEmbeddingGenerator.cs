using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Ragtune.Testing;

namespace Ragtune.Embedded.Tests.Files;

/// <summary>Embeddings of the index's size, keeping every text it was asked to embed.</summary>
internal sealed class RecordingEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly CountingEmbeddingGenerator _inner = new(384);
    private readonly ConcurrentQueue<string> _texts = new();

    public IReadOnlyList<string> Texts => [.. _texts];

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToList();
        texts.ForEach(_texts.Enqueue);
        return _inner.GenerateAsync(texts, options, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() => _inner.Dispose();
}
