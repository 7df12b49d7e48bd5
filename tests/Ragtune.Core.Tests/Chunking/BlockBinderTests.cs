using Ragtune.Core.Chunking;

namespace Ragtune.Core.Tests.Chunking;

public sealed class BlockBinderTests
{
    private readonly BlockBinder _binder = new(maxTokens: 100);
    private readonly PieceQueue _queue = new();

    [Theory]
    [InlineData(nameof(TextBlockKind.Table))]
    [InlineData(nameof(TextBlockKind.List))]
    public void Add_TableOrListThatFits_BindsEveryPieceAfterTheFirst(string kind)
    {
        _binder.Add(Enum.Parse<TextBlockKind>(kind), [Piece("a", 40, Boundary.Paragraph), Piece("b", 30, Boundary.Line), Piece("c", 30, Boundary.Line)], _queue);

        Assert.Equal([false, true, true], Bound());
        Assert.Equal(100, _queue.Tokens);
    }

    [Theory]
    [InlineData(nameof(TextBlockKind.Table))]
    [InlineData(nameof(TextBlockKind.Paragraph))]
    public void Add_TableLongerThanAChunkOrAParagraph_BindsNothing(string kind)
    {
        _binder.Add(Enum.Parse<TextBlockKind>(kind), [Piece("a", 40, Boundary.Paragraph), Piece("b", 40, Boundary.Line), Piece("c", 30, Boundary.Line)], _queue);

        Assert.Equal([false, false, false], Bound());
    }

    [Fact]
    public void Add_Heading_WaitsForItsTextAndIsBoundToIt()
    {
        _binder.Add(TextBlockKind.Heading, [Piece("# Title", 5, Boundary.Section)], _queue);
        Assert.Equal(0, _queue.Count);

        _binder.Add(TextBlockKind.Paragraph, [Piece("First.", 50, Boundary.Paragraph), Piece("Second.", 50, Boundary.Sentence)], _queue);

        Assert.Equal(["# Title", "First.", "Second."], Texts());
        Assert.Equal([false, true, false], Bound());
    }

    [Fact]
    public void Add_HeadingWithATableThatFitsWithIt_BindsTheHeadingToTheWholeTable()
    {
        _binder.Add(TextBlockKind.Heading, [Piece("# Title", 5, Boundary.Section)], _queue);

        _binder.Add(TextBlockKind.Table, [Piece("| a |", 45, Boundary.Paragraph), Piece("| b |", 45, Boundary.Line)], _queue);

        Assert.Equal([false, true, true], Bound());
        Assert.Equal(Boundary.Paragraph, _queue.Pending[1].Before);
    }

    [Fact]
    public void Add_HeadingAndTextTooLongTogether_QueuesTheHeadingAndMarksTheTextAfterIt()
    {
        _binder.Add(TextBlockKind.Heading, [Piece("# Title", 5, Boundary.Section)], _queue);

        _binder.Add(TextBlockKind.List, [Piece("- a", 50, Boundary.Paragraph), Piece("- b", 50, Boundary.Line)], _queue);

        Assert.Equal(["# Title", "- a", "- b"], Texts());
        Assert.Equal([false, false, true], Bound());
        Assert.Equal(Boundary.AfterHeading, _queue.Pending[1].Before);
    }

    [Fact]
    public void Add_HeadingsInARow_WaitAsOneAndAreBoundTogether()
    {
        _binder.Add(TextBlockKind.Heading, [Piece("# Part", 5, Boundary.Section)], _queue);
        _binder.Add(TextBlockKind.Heading, [Piece("## Chapter", 5, Boundary.Section)], _queue);
        Assert.Equal(0, _queue.Count);

        _binder.Add(TextBlockKind.Paragraph, [Piece("Text.", 20, Boundary.Paragraph)], _queue);

        Assert.Equal(["# Part", "## Chapter", "Text."], Texts());
        Assert.Equal([false, true, true], Bound());
    }

    [Fact]
    public void Add_HeadingAfterHeadingsItDoesNotFitWith_QueuesThoseAndKeepsItsBoundary()
    {
        _binder.Add(TextBlockKind.Heading, [Piece("# Long", 60, Boundary.Section)], _queue);

        _binder.Add(TextBlockKind.Heading, [Piece("## Longer", 50, Boundary.Section)], _queue);

        Assert.Equal(["# Long"], Texts());
        _binder.Flush(_queue);
        Assert.Equal(Boundary.Section, _queue.Pending[1].Before);
        Assert.Equal([false, false], Bound());
    }

    [Fact]
    public void Flush_QueuesTheHeadingsStillWaiting_Once()
    {
        _binder.Add(TextBlockKind.Heading, [Piece("# End", 5, Boundary.Section)], _queue);

        _binder.Flush(_queue);
        _binder.Flush(_queue);

        Assert.Equal(["# End"], Texts());
        Assert.Equal(5, _queue.Tokens);
    }

    private static ChunkPiece Piece(string text, int tokens, Boundary before) => new(text.AsMemory(), tokens, 1, before, "\n");

    private bool[] Bound() => [.. _queue.Pending.ToArray().Select(piece => piece.Bound)];

    private string[] Texts() => [.. _queue.Pending.ToArray().Select(piece => piece.Text.ToString())];
}
