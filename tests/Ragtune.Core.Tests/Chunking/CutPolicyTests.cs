using Ragtune.Core.Chunking;

namespace Ragtune.Core.Tests.Chunking;

/// <summary>Each rule of the cut policy on hand-made candidates: room 80 of a 100-token chunk, minimum 30.</summary>
public sealed class CutPolicyTests
{
    private static readonly CutBudget Budget = new(Room: 80, MaxTokens: 100, MinChunkTokens: 30);

    [Fact]
    public void Choose_WithinRoom_TakesTheStrongestBoundaryThenTheLatest()
    {
        Cut[] candidates = [At(40, Boundary.Sentence), At(60, Boundary.Sentence), At(70, Boundary.Word), At(20, Boundary.Paragraph)];

        var choice = CutPolicy.Choose(candidates, Budget, atDocumentEnd: false);

        Assert.Equal(new CutChoice(At(60, Boundary.Sentence), CutRule.WithinRoom), choice);
    }

    [Fact]
    public void Choose_ParagraphPastTheRoom_BeatsASentenceWithinIt_TheEarliestOfEqualOnes()
    {
        Cut[] candidates = [At(60, Boundary.Sentence), At(95, Boundary.Paragraph), At(85, Boundary.Paragraph), At(90, Boundary.Sentence)];

        var choice = CutPolicy.Choose(candidates, Budget, atDocumentEnd: false);

        Assert.Equal(new CutChoice(At(85, Boundary.Paragraph), CutRule.StrongerPastRoom), choice);
    }

    [Theory]
    [InlineData(nameof(Boundary.Word), nameof(Boundary.Line))]
    [InlineData(nameof(Boundary.Paragraph), nameof(Boundary.Paragraph))]
    [InlineData(nameof(Boundary.Section), nameof(Boundary.Paragraph))]
    public void Choose_PastTheRoomOnlyLineOrNoStrongerThanWithin_StaysWithinTheRoom(string within, string past)
    {
        Cut[] candidates = [At(60, Enum.Parse<Boundary>(within)), At(90, Enum.Parse<Boundary>(past))];

        var choice = CutPolicy.Choose(candidates, Budget, atDocumentEnd: false);

        Assert.Equal(new CutChoice(candidates[0], CutRule.WithinRoom), choice);
    }

    [Fact]
    public void Choose_NothingWithinTheRoomLongEnough_TakesTheStrongestPastItTheEarliest()
    {
        Cut[] candidates = [At(20, Boundary.Section), At(95, Boundary.Word), At(90, Boundary.Word), At(99, Boundary.Clause)];

        var choice = CutPolicy.Choose(candidates, Budget, atDocumentEnd: false);

        Assert.Equal(new CutChoice(At(99, Boundary.Clause), CutRule.PastRoom), choice);
        Assert.Equal(
            new CutChoice(At(90, Boundary.Word), CutRule.PastRoom),
            CutPolicy.Choose([At(20, Boundary.Section), At(95, Boundary.Word), At(90, Boundary.Word)], Budget, atDocumentEnd: false));
    }

    [Fact]
    public void Choose_OnlyShortCuts_TakesTheStrongestShortOneTheLatest()
    {
        Cut[] candidates = [At(10, Boundary.Sentence), At(25, Boundary.Word), At(15, Boundary.Sentence)];

        var choice = CutPolicy.Choose(candidates, Budget, atDocumentEnd: false);

        Assert.Equal(new CutChoice(At(15, Boundary.Sentence), CutRule.ShortChunk), choice);
    }

    [Fact]
    public void Choose_OnlyTextTheTokenizerIgnores_TakesItAsTheLastResort()
    {
        var choice = CutPolicy.Choose([At(0, Boundary.Word)], Budget, atDocumentEnd: false);

        Assert.Equal(new CutChoice(At(0, Boundary.Word), CutRule.LastResort), choice);
    }

    [Fact]
    public void Choose_AtTheDocumentsEnd_AvoidsLeavingALastPieceShorterThanTheMinimum()
    {
        Cut[] candidates = [At(50, Boundary.Sentence, remaining: 30), At(70, Boundary.Sentence, remaining: 10)];

        Assert.Equal(new CutChoice(candidates[0], CutRule.WithinRoom), CutPolicy.Choose(candidates, Budget, atDocumentEnd: true));
        Assert.Equal(new CutChoice(candidates[1], CutRule.WithinRoom), CutPolicy.Choose(candidates, Budget, atDocumentEnd: false));
    }

    [Fact]
    public void Choose_AtTheDocumentsEnd_EveryCutLeavingAShortLastPiece_TakesOneAsTheLastResort()
    {
        Cut[] candidates = [At(50, Boundary.Paragraph, remaining: 10), At(60, Boundary.Sentence, remaining: 5)];

        var choice = CutPolicy.Choose(candidates, Budget, atDocumentEnd: true);

        Assert.Equal(new CutChoice(candidates[0], CutRule.LastResort), choice);
    }

    [Fact]
    public void Choose_NoCandidate_Throws()
    {
        Assert.Throws<ArgumentException>(() => CutPolicy.Choose([], Budget, atDocumentEnd: true));
    }

    [Fact]
    public void FindCandidates_CutsAfterEachPieceNoBoundPieceFollows_WithinTheLimit()
    {
        ChunkPiece[] pending =
        [
            Piece(30, Boundary.Paragraph),
            Piece(20, Boundary.Sentence),
            Piece(10, Boundary.Line, bound: true),
            Piece(25, Boundary.Word),
            Piece(30, Boundary.Section),
        ];
        var candidates = new List<Cut> { At(1, Boundary.End) };

        CutPolicy.FindCandidates(pending, 115, maxTokens: 100, atDocumentEnd: true, candidates);

        Assert.Equal([new Cut(1, 30, Boundary.Sentence, 85), new Cut(3, 60, Boundary.Word, 55), new Cut(4, 85, Boundary.Section, 30)], candidates);
    }

    [Fact]
    public void FindCandidates_AfterTheLastPiece_OnlyAtTheDocumentsEnd()
    {
        ChunkPiece[] pending = [Piece(30, Boundary.Paragraph), Piece(20, Boundary.Sentence)];
        var candidates = new List<Cut>();

        CutPolicy.FindCandidates(pending, 50, maxTokens: 100, atDocumentEnd: true, candidates);
        Assert.Equal([new Cut(1, 30, Boundary.Sentence, 20), new Cut(2, 50, Boundary.End, 0)], candidates);

        CutPolicy.FindCandidates(pending, 50, maxTokens: 100, atDocumentEnd: false, candidates);
        Assert.Equal([new Cut(1, 30, Boundary.Sentence, 20)], candidates);
    }

    [Fact]
    public void FindCandidates_FirstRunLongerThanTheLimit_OffersTheFirstPieceAlone()
    {
        ChunkPiece[] pending = [Piece(60, Boundary.Paragraph), Piece(60, Boundary.Line, bound: true), Piece(5, Boundary.Line)];
        var candidates = new List<Cut>();

        CutPolicy.FindCandidates(pending, 125, maxTokens: 100, atDocumentEnd: false, candidates);

        Assert.Equal([new Cut(1, 60, Boundary.InsideWord, 65)], candidates);
    }

    private static Cut At(int tokens, Boundary strength, int remaining = 100) => new(tokens, tokens, strength, remaining);

    private static ChunkPiece Piece(int tokens, Boundary before, bool bound = false) =>
        new("text".AsMemory(), tokens, 1, before, " ", bound);
}
