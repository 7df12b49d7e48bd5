namespace Ragtune.Embedded.Storage;

/// <summary>A chunk row and its score in one result list.</summary>
internal readonly record struct ScoredRow(long RowId, float Score);

/// <summary>
/// The best <c>capacity</c> rows offered so far: a bounded min-heap whose root is the worst kept row. Higher scores are
/// better; equal scores prefer the lower row id, so results do not depend on the order rows were offered in.
/// </summary>
internal sealed class TopScores
{
    private readonly float[] _scores;
    private readonly long[] _rowIds;
    private int _count;

    public TopScores(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _scores = new float[capacity];
        _rowIds = new long[capacity];
    }

    public void Offer(float score, long rowId)
    {
        if (_count < _scores.Length)
        {
            var child = _count++;
            while (child > 0)
            {
                var parent = (child - 1) / 2;
                if (!IsBetter(_scores[parent], _rowIds[parent], score, rowId))
                {
                    break;
                }

                _scores[child] = _scores[parent];
                _rowIds[child] = _rowIds[parent];
                child = parent;
            }

            _scores[child] = score;
            _rowIds[child] = rowId;
            return;
        }

        if (!IsBetter(score, rowId, _scores[0], _rowIds[0]))
        {
            return;
        }

        // Replace the worst row and sift it down.
        var index = 0;
        while (true)
        {
            var worst = index;
            var left = (2 * index) + 1;
            var right = left + 1;
            var worstScore = score;
            var worstRowId = rowId;
            if (left < _count && IsBetter(worstScore, worstRowId, _scores[left], _rowIds[left]))
            {
                worst = left;
                worstScore = _scores[left];
                worstRowId = _rowIds[left];
            }

            if (right < _count && IsBetter(worstScore, worstRowId, _scores[right], _rowIds[right]))
            {
                worst = right;
            }

            if (worst == index)
            {
                break;
            }

            _scores[index] = _scores[worst];
            _rowIds[index] = _rowIds[worst];
            index = worst;
        }

        _scores[index] = score;
        _rowIds[index] = rowId;
    }

    /// <summary>Adds every row of <paramref name="other"/>.</summary>
    public void Merge(TopScores other)
    {
        for (var i = 0; i < other._count; i++)
        {
            Offer(other._scores[i], other._rowIds[i]);
        }
    }

    /// <summary>The kept rows, best first.</summary>
    public ScoredRow[] ToSortedArray()
    {
        var rows = new ScoredRow[_count];
        for (var i = 0; i < _count; i++)
        {
            rows[i] = new ScoredRow(_rowIds[i], _scores[i]);
        }

        Array.Sort(rows, static (a, b) => IsBetter(a.Score, a.RowId, b.Score, b.RowId) ? -1 : IsBetter(b.Score, b.RowId, a.Score, a.RowId) ? 1 : 0);
        return rows;
    }

    private static bool IsBetter(float score, long rowId, float otherScore, long otherRowId) =>
        score > otherScore || (score == otherScore && rowId < otherRowId);
}
