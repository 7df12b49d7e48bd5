using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Core.Chunking;
using Ragtune.Core.Documents;
using Ragtune.Core.Index;
using Ragtune.Core.Ingestion;
using Ragtune.Embedded.Embeddings;
using Ragtune.Embedded.Files;
using Ragtune.Embedded.Tests.Storage;
using Ragtune.Testing.Telemetry;

namespace Ragtune.Embedded.Tests.Files;

/// <summary>A folder watcher over a test's own index (or <c>chunkIndex</c> in front of it), with the real readers and chunker and the given embeddings and clock.</summary>
internal static class TestWatcher
{
    public static DocumentFolderWatcher Create(
        TestIndex index,
        DocumentFolderOptions options,
        IEmbeddingGenerator<string, Embedding<float>> embeddings,
        TimeProvider time,
        ILogger<DocumentFolderWatcher>? logger = null,
        int batchSize = 64,
        IChunkIndex? chunkIndex = null)
    {
        var profile = MiniLmModel.CreateProfile();
        var readers = DocumentReaders.CreateDefault();
        var pipeline = new IngestionPipeline(
            readers,
            new TextChunker(profile, Options.Create(new ChunkingOptions())),
            embeddings,
            profile,
            chunkIndex ?? index.Index,
            index.Catalog,
            Options.Create(new IngestionOptions { BatchSize = batchSize }),
            time,
            TestMeterFactory.Metrics(),
            NullLogger<IngestionPipeline>.Instance);
        return new DocumentFolderWatcher(pipeline, readers, Options.Create(options), time, logger ?? NullLogger<DocumentFolderWatcher>.Instance);
    }
}
