using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace Ragtune.Testing;

/// <summary>
/// A deterministic stand-in for an embedding model: each text maps to a unit vector derived from its hash. Counts
/// calls and inputs, and can be told to fail on a given call.
/// </summary>
public sealed class CountingEmbeddingGenerator(int dimensions = 8) : IEmbeddingGenerator<string, Embedding<float>>
{
    private int _calls;
    private int _inputs;

    public int Calls => _calls;

    public int Inputs => _inputs;

    /// <summary>When set, the call with this 1-based number throws this exception.</summary>
    public (int Call, Exception Exception)? FailOn { get; set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _calls);
        if (FailOn is { } failure && failure.Call == call)
        {
            throw failure.Exception;
        }

        var texts = values.ToList();
        Interlocked.Add(ref _inputs, texts.Count);
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(t => new Embedding<float>(VectorOf(t, dimensions)))));
    }

    public static float[] VectorOf(string text, int dimensions = 8)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] = hash[i % hash.Length] - 127.5f + (i / hash.Length);
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => v / norm)];
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
