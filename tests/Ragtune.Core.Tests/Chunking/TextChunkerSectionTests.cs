using Microsoft.Extensions.Options;
using Ragtune.Core.Chunking;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Chunking;

/// <summary>Chunks that know their section: the heading path each chunk stands under, and what the model embeds.</summary>
public sealed class TextChunkerSectionTests
{
    private static readonly ChunkingOptions Defaults = new();

    [Fact]
    public void Chunk_ThatStartsMidSection_CarriesAndIsEmbeddedWithItsHeadingPath()
    {
        var text = "# Chief Technology Officer\n\nThe CTO leads technology.\n\n## Responsibilities\n\n"
            + string.Join('\n', Enumerable.Range(1, 40).Select(item => $"- Manage the company's system number {item}, ensuring its security and reliability"));

        var chunks = Chunker().Chunk([new DocumentPage(1, text)]);

        Assert.True(chunks.Count >= 3);
        var later = chunks[^1];
        Assert.DoesNotContain("Responsibilities", later.Text, StringComparison.Ordinal);
        Assert.Equal("Chief Technology Officer > Responsibilities", later.Section);
        Assert.StartsWith("Chief Technology Officer > Responsibilities\n\n", later.EmbeddingText, StringComparison.Ordinal);
        Assert.Equal(MiniLm.Tokenizer.CountTokens(later.EmbeddingText), later.TokenCount);
        Assert.InRange(later.TokenCount, 1, Chunker().MaxChunkTokens);
    }

    [Fact]
    public void Chunk_ThatStartsWithAHeading_IsEmbeddedWithTheHeadingsAboveIt()
    {
        var chunks = Chunker().Chunk([new DocumentPage(1, "# Plan\n\n## Costs\n\nPremiums are paid monthly.")]);

        var chunk = Assert.Single(chunks);
        Assert.Equal("Plan > Costs", chunk.Section);
        Assert.Equal(chunk.Text, chunk.EmbeddingText);

        var second = Chunker().Chunk([new DocumentPage(1, "# Plan\n\n" + Sentences("Intro", 12) + "\n\n## Costs\n\n" + Sentences("Costs", 12))])
            .Single(c => c.Text.Contains("## Costs", StringComparison.Ordinal) && !c.Text.StartsWith("# Plan", StringComparison.Ordinal));
        Assert.Equal("Plan > Costs", second.Section);
        Assert.StartsWith("Plan\n\n", second.EmbeddingText, StringComparison.Ordinal);
    }

    [Fact]
    public void Chunk_HeadingOfAHigherLevel_ClosesTheSectionsBelowIt()
    {
        var text = "# Plan\n\n## Benefits\n\n### Vision\n\n" + Sentences("Vision", 14) + "\n\n## Costs\n\n" + Sentences("Costs", 14) + "\n\n# Appendix\n\n" + Sentences("Appendix", 14);

        var sections = Chunker().Chunk([new DocumentPage(1, text)]).Select(chunk => chunk.Section).Distinct().ToList();

        Assert.Equal(["Plan > Benefits > Vision", "Plan > Costs", "Appendix"], sections);
    }

    [Fact]
    public void Chunk_DocumentWithoutHeadings_HasNoSectionAndIsEmbeddedAsItsText()
    {
        var chunks = Chunker().Chunk([new DocumentPage(1, Sentences("Plain", 40))]);

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, chunk => Assert.Equal("", chunk.Section));
        Assert.All(chunks, chunk => Assert.Equal(chunk.Text, chunk.EmbeddingText));
    }

    [Fact]
    public void Chunk_HeadingPathLongerThanAQuarterOfTheLimit_KeepsTheInnermostHeadingsThatFit()
    {
        var outer = string.Join(' ', Enumerable.Repeat("q1w2e3r4t5", 12));
        var text = $"# {outer}\n\n## Middle\n\n### Inner\n\n" + Sentences("Body", 30);

        var later = Chunker().Chunk([new DocumentPage(1, text)])[^1];

        Assert.StartsWith("Middle > Inner\n\n", later.EmbeddingText, StringComparison.Ordinal);
        Assert.StartsWith(outer[..40], later.Section, StringComparison.Ordinal);
        Assert.EndsWith("Middle > Inner", later.Section, StringComparison.Ordinal);
        Assert.InRange(later.TokenCount, 1, Chunker().MaxChunkTokens);
    }

    [Fact]
    public void Chunk_PiecesThatFillAChunkAlone_AreEmbeddedWithoutTheHeadingPathRatherThanCut()
    {
        var chunker = Chunker();
        var longSentence = string.Join(' ', Enumerable.Range(1, 400).Select(i => "word" + i)) + ".";
        var table = string.Join('\n', Enumerable.Range(1, 30).Select(row => $"| item {row} | value {row * 3} |"));

        var chunks = chunker.Chunk([new DocumentPage(1, "# Heading Of The Section\n\n" + longSentence + "\n\n" + table)]);

        Assert.All(chunks, chunk => Assert.InRange(chunk.TokenCount, 1, chunker.MaxChunkTokens));
        Assert.All(chunks, chunk => Assert.Equal("Heading Of The Section", chunk.Section));
    }

    [Fact]
    public void Fingerprint_NamesTheVersionAndTheSettingsInEffect()
    {
        Assert.Equal($"{TextChunker.Version}/254/32/64", Chunker().Fingerprint);
        Assert.NotEqual(Chunker().Fingerprint, new TextChunker(MiniLm.Profile(), Options.Create(new ChunkingOptions { OverlapTokens = 16 })).Fingerprint);
    }

    private static TextChunker Chunker() => new(MiniLm.Profile(), Options.Create(Defaults));

    private static string Sentences(string topic, int count) => string.Join(' ', Enumerable.Range(1, count).Select(sentence =>
        $"{topic} sentence number {sentence} says something about {topic.ToLowerInvariant()} and item {sentence * 7}."));
}
