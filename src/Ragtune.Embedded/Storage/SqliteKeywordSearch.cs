using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Ragtune.Core.Index;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// Keyword search in SQL: FTS5's BM25 ranking over the chunks a caller may read. The access and source filters are part
/// of the query (joining the chunks table only when one applies), so that a chunk the caller may not read never takes a
/// place within the limit; common words are left out as <see cref="CommonTermFilter"/> decides. BM25 weighs a match in a
/// chunk's section (its headings) <paramref name="sectionWeight"/> times a match in its text.
/// </summary>
internal sealed class SqliteKeywordSearch(int commonTermChunks, double sectionWeight = 1.0)
{
    private const string SourceFunction = "ragtune_source_allowed";

    private readonly CommonTermFilter _commonTerms = new(commonTermChunks);

    // FTS5's ranking for this query: bm25() with a weight per column (section, text).
    private readonly string _rank = string.Create(CultureInfo.InvariantCulture, $"bm25({sectionWeight:R}, 1.0)");

    /// <summary>
    /// The best <paramref name="limit"/> rows for the request's terms in the read transaction, best first, scored by BM25
    /// negated (higher is better); none when every choice of terms would match too many chunks.
    /// </summary>
    public async Task<IReadOnlyList<ScoredRow>> SearchAsync(
        SqliteConnection connection, SqliteTransaction transaction, ChunkSearchRequest request, ChunkIndexState state, int limit, CancellationToken cancellationToken)
    {
        var match = await _commonTerms.ChooseMatchAsync(connection, transaction, request.Terms, state, cancellationToken);
        if (match is null)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Sql(request.Access, filtersSources: request.SourceMatcher is not null);
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$rank", _rank);
        command.Parameters.AddWithValue("$limit", limit);
        if (!request.Access.IsUnrestricted && request.Access.Groups.Count > 0)
        {
            command.Parameters.AddWithValue("$groups", JsonSerializer.Serialize(request.Access.Groups));
        }

        if (request.SourceMatcher is { } matcher)
        {
            var seen = new Dictionary<string, bool>(StringComparer.Ordinal);
            connection.CreateFunction<string, bool>(
                SourceFunction,
                source =>
                {
                    if (!seen.TryGetValue(source, out var allowed))
                    {
                        allowed = matcher(source);
                        seen.Add(source, allowed);
                    }

                    return allowed;
                },
                isDeterministic: true);
        }

        var rows = new List<ScoredRow>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // FTS5's bm25() is lower for better matches; the score is its negation, so that higher is better.
            rows.Add(new ScoredRow(reader.GetInt64(0), (float)-reader.GetDouble(1)));
        }

        return rows;
    }

    /// <summary>
    /// The query for <paramref name="access"/>, with its parameters <c>$match</c>, <c>$rank</c> (the ranking function with
    /// its column weights), <c>$limit</c> and, for a scope of
    /// groups, <c>$groups</c> (a JSON array); the source filter, when <paramref name="filtersSources"/>, calls a function
    /// of the connection.
    /// </summary>
    internal static string Sql(AccessScope access, bool filtersSources)
    {
        var sql = "SELECT chunks_fts.rowid, chunks_fts.rank FROM chunks_fts";
        if (!access.IsUnrestricted || filtersSources)
        {
            sql += " JOIN chunks AS c ON c.id = chunks_fts.rowid";
        }

        sql += " WHERE chunks_fts MATCH $match AND chunks_fts.rank MATCH $rank";
        if (!access.IsUnrestricted && access.Groups.Count == 0)
        {
            sql += " AND c.groups = '[]'";
        }
        else if (!access.IsUnrestricted)
        {
            sql += " AND (c.groups = '[]' OR EXISTS (SELECT 1 FROM json_each(c.groups) AS g WHERE g.value IN (SELECT value FROM json_each($groups))))";
        }

        if (filtersSources)
        {
            sql += $" AND {SourceFunction}(c.source)";
        }

        return sql + " ORDER BY chunks_fts.rank LIMIT $limit;";
    }
}
