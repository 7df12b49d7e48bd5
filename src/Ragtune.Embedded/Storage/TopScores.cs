namespace Ragtune.Embedded.Storage;

/// <summary>A chunk row and its score in one result list.</summary>
internal readonly record struct ScoredRow(long RowId, float Score);

/// <summary>
/// The best <c>capacity</c> rows offered so far: a bounded min-heap whose root is the worst kept row. Higher scores are
/// better; equal scores prefer the lower row id, so results do not depend on the order rows were offered in.
/// </summary>
internal sealed class TopScores(int capacity)
{
    private readonly PriorityQueue<ScoredRow, ScoredRow> _heap = new(capacity + 1, WorstFirst.Instance);
    private ScoredRow _worst;

    public void Offer(float score, long rowId)
    {
        var row = new ScoredRow(rowId, score);
        if (_heap.Count < capacity)
        {
            _heap.Enqueue(row, row);
        }
        else if (IsBetter(row, _worst))
        {
            _heap.EnqueueDequeue(row, row);
        }
        else
        {
            return;
        }

        _worst = _heap.Peek();
    }

    /// <summary>Adds every row of <paramref name="other"/>.</summary>
    public void Merge(TopScores other)
    {
        foreach (var (row, _) in other._heap.UnorderedItems)
        {
            Offer(row.Score, row.RowId);
        }
    }

    /// <summary>The kept rows, best first.</summary>
    public ScoredRow[] ToSortedArray()
    {
        var rows = _heap.UnorderedItems.Select(item => item.Element).ToArray();
        Array.Sort(rows, (a, b) => WorstFirst.Instance.Compare(b, a));
        return rows;
    }

    private static bool IsBetter(ScoredRow row, ScoredRow other) =>
        row.Score > other.Score || (row.Score == other.Score && row.RowId < other.RowId);

    private sealed class WorstFirst : IComparer<ScoredRow>
    {
        public static WorstFirst Instance { get; } = new();

        public int Compare(ScoredRow x, ScoredRow y) => IsBetter(x, y) ? 1 : IsBetter(y, x) ? -1 : 0;
    }
}
