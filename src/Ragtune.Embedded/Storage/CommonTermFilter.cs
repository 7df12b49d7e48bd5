using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// Keeps keyword search cheap on a large index, as a search engine's high-frequency term cutoff does. FTS5 scores every
/// row a query matches, so a word found in most chunks ("the", or a corpus-wide word) makes a query score most of the
/// index, while its BM25 weight is small. A word found in more than <c>maxChunksPerTerm</c> chunks is common: it is
/// left out when the query has rarer words; a query of common words only must match them all, in few enough chunks.
/// </summary>
internal sealed class CommonTermFilter(int maxChunksPerTerm)
{
    private const int MaxCachedTerms = 10_000;

    private TermCounts? _counts;

    /// <summary>The FTS5 expression to run for <paramref name="terms"/>, or null when every choice would match too many chunks.</summary>
    public async Task<string?> ChooseMatchAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<string> terms, ChunkIndexState index, CancellationToken cancellationToken)
    {
        if (index.Chunks <= maxChunksPerTerm)
        {
            return Fts5Query.Any(terms);
        }

        // Whether a word is common is cached until the index changes.
        var counts = _counts;
        if (counts is null || counts.IndexVersion != index.Version)
        {
            counts = new TermCounts(index.Version);
            _counts = counts;
        }

        var rare = new List<string>(terms.Count);
        foreach (var term in terms)
        {
            if (!counts.IsCommon.TryGetValue(term, out var common))
            {
                common = await CountAsync(connection, transaction, term, cancellationToken) > maxChunksPerTerm;
                if (counts.IsCommon.Count < MaxCachedTerms)
                {
                    counts.IsCommon[term] = common;
                }
            }

            if (!common)
            {
                rare.Add(term);
            }
        }

        if (rare.Count > 0)
        {
            return Fts5Query.Any(rare);
        }

        var all = Fts5Query.All(terms);
        return await CountAsync(connection, transaction, all, cancellationToken) > maxChunksPerTerm ? null : all;
    }

    /// <summary>How many chunks match, counted up to one past the limit (a bounded walk of the postings, no scoring).</summary>
    private async Task<long> CountAsync(SqliteConnection connection, SqliteTransaction transaction, string match, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT count(*) FROM (SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH $match LIMIT $limit);";
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$limit", maxChunksPerTerm + 1L);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private sealed class TermCounts(long indexVersion)
    {
        public long IndexVersion { get; } = indexVersion;

        public ConcurrentDictionary<string, bool> IsCommon { get; } = new(StringComparer.OrdinalIgnoreCase);
    }
}
