using System.Diagnostics;
using Microsoft.Extensions.Options;
using Ragtune.Core.Chunking;
using Xunit.Abstractions;

namespace Ragtune.Core.Tests.Chunking;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurements
{
    /// <summary>Tests that read the process's memory run alone, so that other tests' allocations do not count.</summary>
    public const string Name = "Memory measurements";
}

[Collection(MemoryMeasurements.Name)]
public sealed class TextChunkerMemoryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ChunkAsync_TenMegabyteDocumentInBlocks_HoldsAFewChunksNotTheDocument()
    {
        const long DocumentCharacters = 10L * 1024 * 1024;
        var chunker = new TextChunker(MiniLm.Profile(), Options.Create(new ChunkingOptions()));
        var blocks = RandomDocument.Blocks(seed: 42, DocumentCharacters).ToAsyncEnumerable();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long chunks = 0;
        long characters = 0;
        long peakGrowth = 0;
        var stopwatch = Stopwatch.StartNew();

        await foreach (var chunk in chunker.ChunkAsync(blocks))
        {
            chunks++;
            characters += chunk.Text.Length;
            if (chunks % 500 == 0)
            {
                peakGrowth = Math.Max(peakGrowth, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        output.WriteLine($"{chunks} chunks in {stopwatch.Elapsed.TotalSeconds:0.0} s; live memory grew by at most {peakGrowth / 1024} KB.");

        // The document is 20 MB as UTF-16 (more with overlap); holding a 64 KB block and a few chunks is well under 8 MB.
        Assert.True(characters >= DocumentCharacters, $"Only {characters} characters came out.");
        Assert.True(chunks > 5_000, $"Only {chunks} chunks.");
        Assert.InRange(peakGrowth, long.MinValue, 8L * 1024 * 1024);
    }
}
