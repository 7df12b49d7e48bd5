using System.Numerics.Tensors;
using Ragtune.Embedded.Embeddings;

namespace Ragtune.Embedded.Tests.Embeddings;

/// <summary>One loaded model for every test that needs it: loading takes seconds, and tests run one at a time on it.</summary>
public sealed class MiniLmFixture : IAsyncLifetime
{
    /// <summary>Two sessions, so that work is split across sessions even on a one-core machine.</summary>
    public MiniLmEmbeddingGenerator Generator { get; } = new(new MiniLmOptions { Sessions = 2 });

    public Task InitializeAsync() => Generator.LoadAsync();

    public Task DisposeAsync()
    {
        Generator.Dispose();
        return Task.CompletedTask;
    }

    public async Task<float[][]> EmbedAsync(params string[] texts)
    {
        var embeddings = await Generator.GenerateAsync(texts);
        return [.. embeddings.Select(embedding => embedding.Vector.ToArray())];
    }

    public static float Cosine(float[] left, float[] right) => TensorPrimitives.CosineSimilarity(left, right);
}

[CollectionDefinition(Name)]
public sealed class MiniLmCollection : ICollectionFixture<MiniLmFixture>
{
    public const string Name = "MiniLM model";
}
