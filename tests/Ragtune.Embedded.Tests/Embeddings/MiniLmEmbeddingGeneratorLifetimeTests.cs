using Ragtune.Embedded.Embeddings;
using Ragtune.Testing;

namespace Ragtune.Embedded.Tests.Embeddings;

/// <summary>Generators of their own, in the model's collection so that they do not compete with it for the cores.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class MiniLmEmbeddingGeneratorLifetimeTests
{
    [Fact]
    public async Task Generate_AfterDispose_ThrowsObjectDisposed()
    {
        var generator = new MiniLmEmbeddingGenerator(new MiniLmOptions { Sessions = 1 });

        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["hello"]));
    }

    [Fact]
    public async Task Dispose_WhileGenerating_StopsTheCallAndReleasesTheSessions()
    {
        const int Inputs = 24;
        var generator = new MiniLmEmbeddingGenerator(new MiniLmOptions { Sessions = 1 });
        var texts = Enumerable.Range(0, Inputs)
            .Select(i => $"Report {i}: " + string.Join(' ', Enumerable.Repeat("the board approved the plan after a long debate", 30)))
            .ToArray();

        var running = generator.GenerateAsync(texts);
        await Eventually.HoldsAsync(() => generator.InferenceCount > 0, TimeSpan.FromSeconds(60), "a first inference completes");
        generator.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => running);
        Assert.True(generator.InferenceCount < Inputs, $"{generator.InferenceCount} of {Inputs} inferences ran");
    }
}
