using System.Text.Json;
using Microsoft.Extensions.Options;
using Ragtune.Core.Chunking;
using Ragtune.Core.Documents;
using Ragtune.Testing;

namespace Ragtune.Core.Tests.Chunking;

/// <summary>What must hold for any input, over generated documents and real text, with the real MiniLM tokenizer.</summary>
public sealed class TextChunkerPropertyTests
{
    private static readonly Dictionary<string, ChunkingOptions> Settings = new()
    {
        ["defaults"] = new ChunkingOptions(),
        ["small chunks"] = new ChunkingOptions { MaxTokens = 64, OverlapTokens = 16, MinChunkTokens = 8 },
        ["no overlap"] = new ChunkingOptions { MaxTokens = 128, OverlapTokens = 0, MinChunkTokens = 0 },
        ["tiny chunks"] = new ChunkingOptions { MaxTokens = 16, OverlapTokens = 4, MinChunkTokens = 2 },
    };

    public static TheoryData<int, string> GeneratedDocuments()
    {
        var data = new TheoryData<int, string>();
        for (var seed = 1; seed <= 30; seed++)
        {
            data.Add(seed, "defaults");
            data.Add(seed, "small chunks");
        }

        for (var seed = 31; seed <= 35; seed++)
        {
            data.Add(seed, "no overlap");
            data.Add(seed + 5, "tiny chunks");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GeneratedDocuments))]
    public void GeneratedDocument_ChunksStayWithinTheLimitOverlapAndCoverAllTextOnTheRightPages(int seed, string settings)
    {
        var input = RandomDocument.Create(seed);

        var chunks = Chunker(settings).Chunk(input);

        Invariants(settings).AssertHold(input, chunks);
    }

    [Theory]
    [MemberData(nameof(GeneratedDocuments))]
    public void GeneratedDocument_SameInputTwice_GivesTheSameChunks(int seed, string settings)
    {
        var chunker = Chunker(settings);

        var first = chunker.Chunk(RandomDocument.Create(seed));
        var second = chunker.Chunk(RandomDocument.Create(seed));

        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(GeneratedDocuments))]
    public async Task GeneratedDocument_StreamedAndInMemory_GiveTheSameChunks(int seed, string settings)
    {
        var chunker = Chunker(settings);
        var input = RandomDocument.Create(seed);

        var streamed = await chunker.ChunkAsync(input.ToAsyncEnumerable()).ToListAsync();

        Assert.Equal(chunker.Chunk(input), streamed);
    }

    [Theory]
    [MemberData(nameof(GeneratedDocuments))]
    public void GeneratedDocument_BlockBoundariesAtBlankLines_DoNotChangeTheChunks(int seed, string settings)
    {
        var chunker = Chunker(settings);

        var inBlocks = chunker.Chunk(RandomDocument.Create(seed, splitPagesIntoBlocks: true));
        var pageAtOnce = chunker.Chunk(RandomDocument.Create(seed, splitPagesIntoBlocks: false));

        Assert.Equal(pageAtOnce, inBlocks);
    }

    [Theory]
    [InlineData("defaults")]
    [InlineData("small chunks")]
    public void ZavaOverview_ChunksStayWithinTheLimitOverlapAndCoverAllText(string settings)
    {
        var input = new[] { new DocumentPage(1, File.ReadAllText(SharedData.ContosoDocument("Zava_Company_Overview.md"))) };

        var chunks = Chunker(settings).Chunk(input);

        Invariants(settings).AssertHold(input, chunks);
    }

    [Fact]
    public void ZavaOverview_KeepsEachTableWholeInOneChunk()
    {
        var chunks = Chunker("defaults").Chunk([new DocumentPage(1, File.ReadAllText(SharedData.ContosoDocument("Zava_Company_Overview.md")))]);

        Assert.Single(chunks, chunk => chunk.Text.Contains("| Year | Milestone |\n|---|---|\n| 1985 |", StringComparison.Ordinal)
            && chunk.Text.Contains("| 2015 | Expansion into sustainable and eco-friendly product lines |", StringComparison.Ordinal));
        Assert.Single(chunks, chunk => chunk.Text.Contains("| Vacation Tier | Duration | Additional Benefits |", StringComparison.Ordinal)
            && chunk.Text.Contains("| Executive | 6 weeks | Luxury resort getaway with family |", StringComparison.Ordinal));
        Assert.All(chunks, chunk => Assert.False(chunk.Text.Split('\n')[^1].StartsWith('#'), $"Chunk {chunk.Ordinal} ends with a heading."));
    }

    [Theory]
    [InlineData("defaults")]
    [InlineData("small chunks")]
    public void SciFactAbstracts_ChunksStayWithinTheLimitOverlapAndCoverAllText(string settings)
    {
        var chunker = Chunker(settings);
        var invariants = Invariants(settings);

        foreach (var document in SciFactAbstracts(300))
        {
            DocumentPage[] input = [new(1, document)];
            invariants.AssertHold(input, chunker.Chunk(input));
        }
    }

    [Fact]
    public void SciFactAbstractsAsPages_EachChunkCarriesThePageWhereItsOwnTextStarts()
    {
        var input = SciFactAbstracts(200).Select((text, index) => new DocumentPage(index + 1, text)).ToList();

        var chunks = Chunker("defaults").Chunk(input);

        Invariants("defaults").AssertHold(input, chunks);
        Assert.Equal(chunks.Select(chunk => chunk.Page).Order(), chunks.Select(chunk => chunk.Page));
        Assert.Equal(200, chunks[^1].Page);
    }

    private static TextChunker Chunker(string settings) =>
        new(MiniLm.Profile(), Options.Create(Settings[settings]));

    private static ChunkInvariants Invariants(string settings) => new(MiniLm.Profile(), Settings[settings]);

    private static IEnumerable<string> SciFactAbstracts(int count) =>
        File.ReadLines(Path.Combine(SharedData.SciFact, "corpus.jsonl")).Take(count).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            return $"# {json.RootElement.GetProperty("title").GetString()}\n\n{json.RootElement.GetProperty("text").GetString()}";
        });
}
