using System.Text;
using Ragtune.Core.Index;
using Xunit.Abstractions;

namespace Ragtune.Embedded.Tests.Storage;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurements
{
    /// <summary>Tests that read the process's memory run alone, so that other tests' allocations do not count.</summary>
    public const string Name = "Memory measurements";
}

[Collection(MemoryMeasurements.Name)]
public sealed class SqliteChunkReplacementMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const string Source = "archive/large.txt";
    private static readonly string DocumentId = DocumentIds.ForSource(Source);

    private readonly TestIndex _index = TestIndex.Create();

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Add_ManyBatches_KeepsTheStagedChunksOutOfMemory()
    {
        // 8,000 chunks of ~1,000 characters and 384 dimensions: some 30 MB of text and vectors if they were held.
        const int Batches = 125;
        const int BatchSize = 64;
        var random = new Random(42);
        var filler = new StringBuilder().Insert(0, "the staged text of a large archive, ", 28).ToString();
        List<IndexChunk> Batch(int batch) =>
        [
            .. Enumerable.Range(batch * BatchSize, BatchSize)
                .Select(ordinal => TestChunks.Create(Source, ordinal, $"chunk{ordinal} {filler}", TestVectors.Random(random, 384), [])),
        ];

        await using var replacement = await _index.Index.BeginReplaceAsync(DocumentId);
        await replacement.AddAsync(Batch(0));
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peakGrowth = 0;
        for (var batch = 1; batch < Batches; batch++)
        {
            await replacement.AddAsync(Batch(batch));
            if (batch % 25 == 0)
            {
                peakGrowth = Math.Max(peakGrowth, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        await replacement.CommitAsync();

        output.WriteLine($"live memory grew by at most {peakGrowth / 1024} KB while {Batches * BatchSize} chunks were staged");
        Assert.InRange(peakGrowth, long.MinValue, 4L * 1024 * 1024);
        Assert.Equal(Batches * BatchSize, (await _index.Index.GetEmbeddingsAsync(DocumentId)).Count);
        var last = await _index.SearchAsync(SearchMode.Keyword, $"chunk{(Batches * BatchSize) - 1}", TestVectors.Random(random, 384));
        Assert.Equal((Batches * BatchSize) - 1, Assert.Single(last).Chunk.Ordinal);
    }
}
