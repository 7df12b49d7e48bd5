using Ragtune.Core.Chunking;

namespace Ragtune.Core.Tests.Chunking;

/// <summary>What a chunk repeats of the one before, with the real MiniLM tokenizer.</summary>
public sealed class OverlapSelectorTests
{
    private readonly OverlapSelector _overlap = new(new TokenCounter(MiniLm.Tokenizer), new ChunkTextBuilder());

    [Fact]
    public void Select_BeforeAnyChunk_ChoosesNothing()
    {
        Assert.Equal(0, _overlap.Select(32));
        Assert.True(_overlap.Pieces.IsEmpty);
    }

    [Fact]
    public void Select_TakesTheLastWholeSentencesThatFit_AndMeasuresThemAsTheyRead()
    {
        _overlap.Remember([Sentence("One one one one."), Sentence("Two two."), Sentence("Three three.")]);
        var budget = Tokens("Two two. Three three.");

        var tokens = _overlap.Select(budget);

        Assert.Equal(["Two two.", "Three three."], Texts());
        Assert.Equal(budget, tokens);
    }

    [Fact]
    public void Select_LastSentenceLongerThanTheBudget_TakesItsLastWordsFromAClauseStart()
    {
        _overlap.Remember([Sentence("a b c d e f g h, i j k.")]);

        var tokens = _overlap.Select(8);

        Assert.Equal(["i j k."], Texts());
        Assert.Equal(Tokens("i j k."), tokens);
    }

    [Fact]
    public void Select_LastSentenceLongerThanTheBudgetWithoutAClause_TakesTheLastWordsThatFit()
    {
        _overlap.Remember([Sentence("a b c d e f g h i j k.")]);

        var tokens = _overlap.Select(4);

        Assert.Equal(["i j k."], Texts());
        Assert.Equal(4, tokens);
    }

    [Fact]
    public void Select_AfterAFragmentOfAnOverlongWord_ChoosesNothing()
    {
        _overlap.Remember([Sentence("Before."), Sentence("qwxzyvbnm") with { IsFragment = true }]);

        Assert.Equal(0, _overlap.Select(32));
        Assert.True(_overlap.Pieces.IsEmpty);
    }

    [Fact]
    public void Select_OnlyTextTheTokenizerIgnores_ChoosesNothing()
    {
        // A combining accent alone: the uncased BERT normaliser strips it.
        _overlap.Remember([Sentence("\u0301") with { Tokens = 1 }]);

        Assert.Equal(0, _overlap.Select(32));
        Assert.True(_overlap.Pieces.IsEmpty);
    }

    [Fact]
    public void Remember_KeepsTheChunksOverlapBeforeItsOwnPieces()
    {
        _overlap.Remember([Sentence("First.")]);
        _overlap.Select(32);

        _overlap.Remember([Sentence("Second.")]);
        _overlap.Select(32);

        Assert.Equal(["First.", "Second."], Texts());
    }

    private static int Tokens(string text) => MiniLm.Tokenizer.CountTokens(text);

    private static ChunkPiece Sentence(string text) => new(text.AsMemory(), Tokens(text), 1, Boundary.Sentence, " ");

    private string[] Texts() => [.. _overlap.Pieces.ToArray().Select(piece => piece.Text.ToString())];
}
