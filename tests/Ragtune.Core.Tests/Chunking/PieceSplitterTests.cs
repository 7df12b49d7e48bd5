using Ragtune.Core.Chunking;

namespace Ragtune.Core.Tests.Chunking;

/// <summary>How a block becomes pieces, with the real MiniLM tokenizer and a 16-token limit.</summary>
public sealed class PieceSplitterTests
{
    private const int MaxTokens = 16;

    private readonly PieceSplitter _splitter = new(new TokenCounter(MiniLm.Tokenizer), MaxTokens);

    [Fact]
    public void Split_Paragraph_GivesOnePiecePerSentenceEachCountedOnce()
    {
        var pieces = _splitter.Split(new TextBlock(TextBlockKind.Paragraph, ["First one. Second one.\nThird one."], FollowsBlankLine: true), page: 4);

        Assert.Equal(["First one.", "Second one.", "Third one."], Texts(pieces));
        Assert.Equal([Boundary.Paragraph, Boundary.Sentence, Boundary.Sentence], pieces.Select(piece => piece.Before));
        Assert.Equal(["\n\n", " ", "\n"], pieces.Select(piece => piece.Separator));
        Assert.All(pieces, piece => Assert.Equal(MiniLm.Tokenizer.CountTokens(piece.Text.Span), piece.Tokens));
        Assert.All(pieces, piece => Assert.Equal(4, piece.Page));
    }

    [Fact]
    public void Split_HeadingAndTableRows_StartAtTheirBoundaries()
    {
        var heading = _splitter.Split(new TextBlock(TextBlockKind.Heading, ["## Benefits"], FollowsBlankLine: false), page: 1).Single();
        Assert.Equal((Boundary.Section, "\n"), (heading.Before, heading.Separator));

        var rows = _splitter.Split(new TextBlock(TextBlockKind.Table, ["| a | b |", "|---|---|", "| 1 | 2 |"], FollowsBlankLine: false), page: 1);

        Assert.Equal([Boundary.Line, Boundary.Line, Boundary.Line], rows.Select(piece => piece.Before));
        Assert.Equal(["\n", "\n", "\n"], rows.Select(piece => piece.Separator));
    }

    [Fact]
    public void Split_SentenceLongerThanAChunk_GivesWordsWithTheirBoundaries()
    {
        var text = "alpha beta gamma delta, epsilon zeta eta theta iota kappa\nlambda mu nu xi omicron pi rho sigma tau.";

        var pieces = _splitter.Split(new TextBlock(TextBlockKind.Paragraph, [text], FollowsBlankLine: true), page: 1);

        Assert.Equal(text.Split([' ', '\n']), Texts(pieces));
        Assert.Equal(Boundary.Paragraph, pieces[0].Before);
        Assert.Equal(Boundary.Clause, pieces[4].Before);
        Assert.Equal((Boundary.WrappedLine, "\n"), (pieces[10].Before, pieces[10].Separator));
        Assert.All(pieces.Skip(1).Where((_, index) => index + 1 is not (4 or 10)), piece => Assert.Equal((Boundary.Word, " "), (piece.Before, piece.Separator)));
    }

    [Fact]
    public void Split_WordLongerThanAChunk_GivesFragmentsWithinTheLimitThatJoinToIt()
    {
        var word = string.Concat(Enumerable.Range(0, 80).Select(index => (char)('a' + (index * 7 % 26))));

        var pieces = _splitter.Split(new TextBlock(TextBlockKind.Paragraph, [word], FollowsBlankLine: true), page: 1);

        Assert.True(pieces.Count > 1);
        Assert.Equal(word, string.Concat(Texts(pieces)));
        Assert.All(pieces, piece => Assert.True(piece.IsFragment));
        Assert.All(pieces, piece => Assert.InRange(piece.Tokens, 1, MaxTokens));
        Assert.All(pieces.Skip(1), piece => Assert.Equal((Boundary.InsideWord, ""), (piece.Before, piece.Separator)));
    }

    [Fact]
    public void Split_ListItemLongerThanAChunk_GivesItsSentences()
    {
        var item = "- The first sentence of this item is surely long enough by now. The second one is too.";

        var pieces = _splitter.Split(new TextBlock(TextBlockKind.List, ["- Short item.", item], FollowsBlankLine: true), page: 1);

        Assert.Equal(["- Short item.", "- The first sentence of this item is surely long enough by now.", "The second one is too."], Texts(pieces));
        Assert.Equal([Boundary.Paragraph, Boundary.Line, Boundary.Sentence], pieces.Select(piece => piece.Before));
    }

    [Fact]
    public void Split_CalledAgain_GivesOnlyTheNewBlocksPieces()
    {
        _splitter.Split(new TextBlock(TextBlockKind.Paragraph, ["One. Two."], FollowsBlankLine: true), page: 1);

        var pieces = _splitter.Split(new TextBlock(TextBlockKind.Paragraph, ["Three."], FollowsBlankLine: true), page: 2);

        Assert.Equal(["Three."], Texts(pieces));
    }

    private static string[] Texts(List<ChunkPiece> pieces) => [.. pieces.Select(piece => piece.Text.ToString())];
}
