using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Options;
using Ragtune.Core.Chunking;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Chunking;

public sealed class TextChunkerTests
{
    private static readonly ChunkingOptions Defaults = new();

    [Fact]
    public void Chunk_NoText_GivesNoChunks()
    {
        var chunker = Chunker();

        Assert.Empty(chunker.Chunk([]));
        Assert.Empty(chunker.Chunk([new DocumentPage(1, " \n\n\t \r\n")]));
    }

    [Fact]
    public void Chunk_ShortText_IsOneChunkWithSpacesCollapsedAndLineBreaksKept()
    {
        var chunks = Chunker().Chunk([new DocumentPage(3, "  Hello   world.\tSecond  sentence.\r\n\r\n\r\nNew   paragraph.  \nSame paragraph.\n")]);

        var chunk = Assert.Single(chunks);
        Assert.Equal("Hello world. Second sentence.\n\nNew paragraph.\nSame paragraph.", chunk.Text);
        Assert.Equal(0, chunk.Ordinal);
        Assert.Equal(3, chunk.Page);
        Assert.Equal(MiniLm.Tokenizer.CountTokens(chunk.Text), chunk.TokenCount);
    }

    [Fact]
    public void Chunk_TextTheTokenizerIgnores_IsKeptAsAChunk()
    {
        var chunk = Assert.Single(Chunker().Chunk([new DocumentPage(1, "😀  ≥")]));

        Assert.Equal("😀 ≥", chunk.Text);
        Assert.Equal(MiniLm.Tokenizer.CountTokens(chunk.Text), chunk.TokenCount);
    }

    [Fact]
    public void Chunk_TableDelimiterRow_IsWrittenShort()
    {
        var chunk = Assert.Single(Chunker().Chunk([new DocumentPage(1, "| Tier   | Weeks |\n|:-------|------:|\n| Senior | 4     |")]));

        Assert.Equal("| Tier | Weeks |\n|:---|---:|\n| Senior | 4 |", chunk.Text);
    }

    [Fact]
    public void Chunk_LooseList_IsOneListWithItsItemsOnConsecutiveLines()
    {
        var chunk = Assert.Single(Chunker().Chunk([new DocumentPage(1, "Options:\n\n- first\n\n- second\n  continued\n\nAfter.")]));

        Assert.Equal("Options:\n\n- first\n- second\ncontinued\n\nAfter.", chunk.Text);
    }

    public static TheoryData<string, string[]> ShortGroups() => new()
    {
        {
            "table",
            ["| Year | Milestone |", "|---|---|", .. Enumerable.Range(1, 10).Select(row => $"| {2000 + row} | milestone number {row} for the company |")]
        },
        {
            "list",
            [.. Enumerable.Range(1, 10).Select(item => $"- Benefit number {item} is described in this item.")]
        },
    };

    [Theory]
    [MemberData(nameof(ShortGroups))]
    public void Chunk_ShortTableOrListAfterLongText_StaysWholeInOneChunk(string kind, string[] lines)
    {
        var group = string.Join('\n', lines);
        var text = Sentences("Before", 18) + "\n\n" + group + "\n\n" + Sentences("After", 18);

        var chunks = Chunker().Chunk([new DocumentPage(1, text)]);

        Assert.Single(chunks, chunk => chunk.Text.Contains(group, StringComparison.Ordinal));
        Assert.All(chunks, chunk => Assert.False(
            lines.SkipLast(1).Contains(chunk.Text.Split('\n')[^1]),
            $"Chunk {chunk.Ordinal} ends inside the {kind}."));
    }

    [Fact]
    public void Chunk_TableLongerThanAChunk_IsCutBetweenRows()
    {
        var table = "| Year | Milestone |\n|---|---|\n" + string.Join('\n', Enumerable.Range(1, 80).Select(row => $"| {1900 + row} | event {row} happened in that year |"));

        var chunks = Chunker().Chunk([new DocumentPage(1, table)]);

        Assert.True(chunks.Count > 2);
        Assert.All(chunks.SelectMany(chunk => chunk.Text.Split('\n')), line => Assert.Matches(@"^\| .* \|$|^\|---\|---\|$", line));
    }

    [Fact]
    public void Chunk_Headings_StayWithTheTextThatFollowsThem()
    {
        var text = string.Join("\n\n", Enumerable.Range(1, 12).Select(section => $"## Section {section}\n\n" + Sentences($"Section{section}", 5)));

        var chunks = Chunker().Chunk([new DocumentPage(1, text)]);

        Assert.True(chunks.Count > 2);
        Assert.All(chunks, chunk => Assert.False(chunk.Text.Split('\n')[^1].StartsWith("##", StringComparison.Ordinal), $"Chunk {chunk.Ordinal} ends with a heading."));
        Assert.All(chunks.Skip(1), chunk => Assert.Contains("## Section", chunk.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void Chunk_LongParagraph_EndsEveryChunkAtASentenceEndAndOverlapsWholeSentences()
    {
        var chunks = Chunker().Chunk([new DocumentPage(1, Sentences("Topic", 80))]);

        Assert.True(chunks.Count > 3);
        Assert.All(chunks, chunk => Assert.EndsWith(".", chunk.Text, StringComparison.Ordinal));
        Assert.All(chunks.Skip(1), chunk => Assert.StartsWith("Topic sentence number", chunk.Text, StringComparison.Ordinal));
        var invariants = new ChunkInvariants(MiniLm.Profile(), Defaults);
        Assert.All(chunks.Skip(1), chunk => Assert.InRange(
            MiniLm.Tokenizer.CountTokens(chunk.Text[..invariants.OverlapLength(chunks[chunk.Ordinal - 1].Text, chunk.Text)]),
            1,
            Defaults.OverlapTokens));
    }

    [Fact]
    public void Chunk_SentenceLongerThanAChunk_IsCutAfterAClauseRatherThanBetweenAnyWords()
    {
        var words = Enumerable.Range(1, 700).Select(word => word % 15 == 0 ? $"word{word}," : $"word{word}");
        DocumentPage[] input = [new(1, "Start " + string.Join(' ', words) + " end.")];

        var chunks = Chunker().Chunk(input);

        Assert.True(chunks.Count > 3);
        Assert.All(chunks.SkipLast(1), chunk => Assert.EndsWith(",", chunk.Text, StringComparison.Ordinal));
        new ChunkInvariants(MiniLm.Profile(), Defaults).AssertHold(input, chunks);
    }

    [Fact]
    public void Chunk_WordLongerThanAChunk_IsCutInsideAtTokenBoundariesWithinTheLimit()
    {
        var blob = Convert.ToBase64String(Enumerable.Range(0, 6000).Select(index => (byte)(index * 7919 % 251)).ToArray());
        DocumentPage[] input = [new(1, $"Before the attachment. {blob} After the attachment.")];
        var chunker = Chunker();

        var chunks = chunker.Chunk(input);

        Assert.True(chunks.Count > 5);
        Assert.Contains(chunks, chunk => chunk.TokenCount >= chunker.MaxChunkTokens * 3 / 4 && !chunk.Text.Contains(' ', StringComparison.Ordinal));
        new ChunkInvariants(MiniLm.Profile(), Defaults).AssertHold(input, chunks);
    }

    [Fact]
    public void Chunk_SeveralPages_EachChunkNamesThePageWhereItsOwnTextStarts()
    {
        var input = Enumerable.Range(1, 4).Select(page => new DocumentPage(
            page,
            string.Join(' ', Enumerable.Range(1, 300).Select(word => $"p{page}w{word}{(word % 12 == 0 ? "." : "")}")))).ToList();
        var invariants = new ChunkInvariants(MiniLm.Profile(), Defaults);

        var chunks = Chunker().Chunk(input);

        Assert.True(chunks.Count > 4);
        for (var index = 0; index < chunks.Count; index++)
        {
            var overlap = index == 0 ? 0 : invariants.OverlapLength(chunks[index - 1].Text, chunks[index].Text);
            var firstOwnWord = chunks[index].Text[overlap..].TrimStart();
            Assert.StartsWith($"p{chunks[index].Page}w", firstOwnWord, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Chunk_SeveralPages_EachChunkNamesThePageWhereItsOwnTextEnds()
    {
        // Pages of several paragraphs, shorter than a chunk: the latest paragraph break that fits is often on a later
        // page than the chunk's first, so chunks run on across page breaks.
        var input = Enumerable.Range(1, 6).Select(page => new DocumentPage(
            page,
            string.Join("\n\n", Enumerable.Range(0, 3).Select(paragraph => string.Join(' ', Enumerable.Range(1, 15).Select(word => $"p{page}w{(paragraph * 15) + word}")) + ".")))).ToList();

        var chunks = Chunker().Chunk(input);

        Assert.Contains(chunks, chunk => chunk.LastPage > chunk.Page);
        Assert.Contains(chunks, chunk => chunk.LastPage == chunk.Page);
        foreach (var chunk in chunks)
        {
            var lastWord = chunk.Text.Split(' ', '\n')[^1];
            Assert.StartsWith($"p{chunk.LastPage}w", lastWord, StringComparison.Ordinal);
            Assert.True(chunk.LastPage >= chunk.Page);
        }
    }

    [Fact]
    public void Chunk_ShortLastPiece_MovesTheLastCutBackRatherThanLeaveATinyChunk()
    {
        var chunker = Chunker();
        var text = new StringBuilder();
        for (var sentence = 1; MiniLm.Tokenizer.CountTokens(text.ToString()) < chunker.MaxChunkTokens + 20; sentence++)
        {
            text.Append(CultureInfo.InvariantCulture, $"Short sentence {sentence} is here. ");
        }

        var chunks = chunker.Chunk([new DocumentPage(1, text.ToString())]);

        Assert.Equal(2, chunks.Count);
        var overlap = new ChunkInvariants(MiniLm.Profile(), Defaults).OverlapLength(chunks[0].Text, chunks[1].Text);
        Assert.True(MiniLm.Tokenizer.CountTokens(chunks[1].Text[overlap..]) >= Defaults.MinChunkTokens);
    }

    [Fact]
    public void Chunk_ModelWithASmallerInputLimit_KeepsChunksWithinTheModelsLimit()
    {
        var chunker = new TextChunker(MiniLm.Profile(maxInputTokens: 128), Options.Create(Defaults));

        var chunks = chunker.Chunk([new DocumentPage(1, Sentences("Limit", 60))]);

        Assert.Equal(126, chunker.MaxChunkTokens);
        Assert.All(chunks, chunk => Assert.InRange(chunk.TokenCount, 1, 126));
    }

    [Fact]
    public void Constructor_OverlapTooLargeForTheModelsLimit_FailsNamingTheSetting()
    {
        var failure = Assert.Throws<OptionsValidationException>(() =>
            new TextChunker(MiniLm.Profile(maxInputTokens: 64), Options.Create(Defaults)));

        Assert.Contains("Ragtune:Chunking:OverlapTokens (32)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("is 62", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkAsync_Cancelled_StopsWithOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var chunks = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var chunk in Chunker().ChunkAsync(EndlessBlocks(), cancellation.Token))
            {
                chunks++;
                await cancellation.CancelAsync();
            }
        });

        Assert.Equal(1, chunks);
    }

    private static TextChunker Chunker() => new(MiniLm.Profile(), Options.Create(Defaults));

    private static string Sentences(string topic, int count) => string.Join(' ', Enumerable.Range(1, count).Select(sentence =>
        $"{topic} sentence number {sentence} says something about {topic.ToLowerInvariant()} and item {sentence * 7}."));

    private static async IAsyncEnumerable<DocumentPage> EndlessBlocks([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var block = 0; ; block++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new DocumentPage(1, Sentences($"Block{block}", 40));
        }
    }
}
