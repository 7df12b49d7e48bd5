using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Ragtune.Embedded.Embeddings;

namespace Ragtune.Benchmarks;

/// <summary>
/// A stand-in for the embedding model where the model's cost would hide what is measured: a deterministic unit vector
/// of MiniLM's 384 dimensions drawn from a hash of the text (equal texts, equal vectors; no meaning at all), in
/// microseconds instead of the model's ~80 ms a chunk. Optionally it hands back fixed vectors for known texts.
/// </summary>
internal sealed class HashEmbeddingGenerator(IReadOnlyDictionary<string, float[]>? fixedVectors = null) : IEmbeddingGenerator<string, Embedding<float>>
{
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var embeddings = values.Select(text => new Embedding<float>(
            fixedVectors is not null && fixedVectors.TryGetValue(text, out var vector) ? vector : Vector(text)));
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(embeddings));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>The unit vector of a text: FNV-1a of its characters seeds a xorshift generator.</summary>
    public static float[] Vector(string text)
    {
        var state = 14695981039346656037UL;
        foreach (var c in text)
        {
            state = (state ^ c) * 1099511628211UL;
        }

        state |= 1;
        var vector = new float[MiniLmModel.Dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            vector[i] = (float)((state >> 11) * (1.0 / (1UL << 53))) - 0.5f;
        }

        TensorPrimitives.Divide(vector, TensorPrimitives.Norm<float>(vector), vector);
        return vector;
    }
}
