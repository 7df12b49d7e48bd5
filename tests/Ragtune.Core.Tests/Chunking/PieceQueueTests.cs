using Ragtune.Core.Chunking;

namespace Ragtune.Core.Tests.Chunking;

public sealed class PieceQueueTests
{
    [Fact]
    public void RemoveFirst_TakesPiecesFromTheFrontAndTheirTokens()
    {
        var queue = new PieceQueue();
        queue.Add([Piece(0, 5), Piece(1, 7), Piece(2, 11)]);

        queue.RemoveFirst(2);

        Assert.Equal(1, queue.Count);
        Assert.Equal(11, queue.Tokens);
        Assert.Equal(2, queue.Pending[0].Page);
    }

    [Fact]
    public void RemoveFirst_ManyTimesWhileAdding_KeepsTheOrderAndTheCount()
    {
        var queue = new PieceQueue();
        var next = 0;
        for (var round = 0; round < 3000; round++)
        {
            queue.Add([Piece(next++, 1), Piece(next++, 1)]);
            queue.RemoveFirst(1);
        }

        Assert.Equal(3000, queue.Count);
        Assert.Equal(3000, queue.Tokens);
        Assert.Equal(Enumerable.Range(3000, 3000), queue.Pending.ToArray().Select(piece => piece.Page));
    }

    [Fact]
    public void RemoveFirst_MoreThanWait_Throws()
    {
        var queue = new PieceQueue();
        queue.Add([Piece(0, 1)]);

        Assert.Throws<ArgumentOutOfRangeException>(() => queue.RemoveFirst(2));
    }

    private static ChunkPiece Piece(int page, int tokens) => new("x".AsMemory(), tokens, page, Boundary.Sentence, " ");
}
