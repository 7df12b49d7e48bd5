using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Ragtune.Core;
using Ragtune.Core.Index;
using Ragtune.Embedded.Files;
using Ragtune.Embedded.Tests.Storage;
using Ragtune.Testing;

namespace Ragtune.Embedded.Tests.Files;

/// <summary>
/// An embedding service that fails for a while, mid-document: the watcher tries the document again on its own, with a
/// growing wait, and until one attempt succeeds whole the index and catalog hold nothing of it (never half a document).
/// </summary>
public sealed class DocumentFolderWatcherRetryTests : IDisposable
{
    private readonly TestIndex _index = TestIndex.Create();
    private readonly TempDirectory _documents = new();

    public void Dispose()
    {
        _index.Dispose();
        _documents.Dispose();
    }

    [Fact]
    public async Task TransientEmbeddingFailures_AreRetriedUntilTheDocumentIsIndexedWhole()
    {
        var paragraphs = Enumerable.Range(0, 12).Select(i => $"Paragraph {i} of the guide. " + string.Join(' ', Enumerable.Repeat($"word{i} sentence text here.", 40)));
        _documents.WriteFile("guide.md", string.Join("\n\n", paragraphs));
        var embeddings = new FlakyEmbeddingGenerator(failingCalls: [2, 3, 4]);
        using var watcher = Watcher(embeddings, retryDelay: TimeSpan.FromMilliseconds(400));
        var documentId = DocumentIds.ForSource("guide.md");

        await watcher.StartAsync(CancellationToken.None);
        try
        {
            await watcher.FirstSynchronization;
            Assert.True(embeddings.Calls >= 2, "the first attempt reached the failing call");
            Assert.Null(await _index.Catalog.FindAsync(documentId));
            Assert.Empty(await _index.Index.GetEmbeddingsAsync(documentId));

            await Eventually.HoldsAsync(
                async () => await _index.Catalog.FindAsync(documentId) is { Status: DocumentStatus.Indexed },
                TimeSpan.FromSeconds(60),
                "guide.md is indexed after the failures");
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }

        var record = await _index.Catalog.FindAsync(documentId);
        Assert.True(record!.Chunks > 2, $"{record.Chunks} chunks: the document spans several embedding batches");
        Assert.Equal(record.Chunks, (await _index.Index.GetEmbeddingsAsync(documentId)).Count);
        Assert.True(embeddings.Calls > 4, "every failing call was made, then more");
    }

    private DocumentFolderWatcher Watcher(IEmbeddingGenerator<string, Embedding<float>> embeddings, TimeSpan retryDelay)
    {
        var options = new DocumentFolderOptions
        {
            Root = _documents.Path,
            Debounce = TimeSpan.FromMilliseconds(100),
            RetryDelay = retryDelay,
            ResyncInterval = TimeSpan.FromHours(1),
        };
        return TestWatcher.Create(_index, options, embeddings, TimeProvider.System, batchSize: 2);
    }

    /// <summary>Unit vectors from a hash of the text; the calls with the given numbers fail as an unavailable service.</summary>
    private sealed class FlakyEmbeddingGenerator(int[] failingCalls) : IEmbeddingGenerator<string, Embedding<float>>
    {
        private int _calls;

        public int Calls => _calls;

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (failingCalls.Contains(Interlocked.Increment(ref _calls)))
            {
                throw new DependencyUnavailableException("embeddings", DependencyFailure.Unavailable, TimeSpan.FromSeconds(1));
            }

            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(VectorOf(v)))));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }

        private static float[] VectorOf(string text)
        {
            var hash = SHA512.HashData(Encoding.UTF8.GetBytes(text));
            var vector = Enumerable.Range(0, 384).Select(i => hash[i % hash.Length] - 127.5f + i % 7).ToArray();
            var norm = MathF.Sqrt(vector.Sum(v => v * v));
            return [.. vector.Select(v => v / norm)];
        }
    }
}
