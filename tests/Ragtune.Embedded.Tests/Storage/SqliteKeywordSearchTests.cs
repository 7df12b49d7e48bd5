using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Tests.Storage;

/// <summary>The full-text SQL on its own: its exact text for each filter, and what it returns on a real file.</summary>
public sealed class SqliteKeywordSearchTests : IDisposable
{
    private const string Select = "SELECT chunks_fts.rowid, chunks_fts.rank FROM chunks_fts";
    private const string Join = " JOIN chunks AS c ON c.id = chunks_fts.rowid";
    private const string Match = " WHERE chunks_fts MATCH $match AND chunks_fts.rank MATCH $rank";
    private const string Order = " ORDER BY chunks_fts.rank LIMIT $limit;";

    private static readonly Dictionary<string, AccessScope> Scopes = new()
    {
        ["unrestricted"] = AccessScope.Unrestricted,
        ["public"] = AccessScope.Public,
        ["groups"] = AccessScope.ForGroups(["hr", "board"]),
    };

    private readonly TestIndex _index = TestIndex.Create();

    public void Dispose() => _index.Dispose();

    [Theory]
    [InlineData("unrestricted", false, Select + Match + Order)]
    [InlineData("unrestricted", true, Select + Join + Match + " AND ragtune_source_allowed(c.source)" + Order)]
    [InlineData("public", false, Select + Join + Match + " AND c.groups = '[]'" + Order)]
    [InlineData(
        "groups",
        true,
        Select + Join + Match
        + " AND (c.groups = '[]' OR EXISTS (SELECT 1 FROM json_each(c.groups) AS g WHERE g.value IN (SELECT value FROM json_each($groups))))"
        + " AND ragtune_source_allowed(c.source)" + Order)]
    public void Sql_ForEachFilter_IsExactlyThis(string scope, bool filtersSources, string expected)
    {
        Assert.Equal(expected, SqliteKeywordSearch.Sql(Scopes[scope], filtersSources));
    }

    [Fact]
    public async Task SearchAsync_GroupScope_ReturnsPublicAndItsGroupsRowsBestFirst()
    {
        await _index.ReplaceAsync("public.md", [("vacation days and vacation rules", TestVectors.Of(1f))]);
        await _index.ReplaceAsync("hr.md", [("vacation", TestVectors.Of(1f))], "hr");
        await _index.ReplaceAsync("board.md", [("vacation days", TestVectors.Of(1f))], "board");

        var rows = await SearchAsync("vacation days", AccessScope.ForGroups(["hr"]), sourcePatterns: [], limit: 10);

        Assert.Equal(["vacation days and vacation rules", "vacation"], await TextsAsync(rows));
        Assert.True(rows[0].Score > rows[1].Score);
    }

    [Fact]
    public async Task SearchAsync_RowsTheCallerMayNotRead_TakeNoPlaceWithinTheLimit()
    {
        for (var i = 0; i < 5; i++)
        {
            await _index.ReplaceAsync($"hr-{i}.md", [("vacation vacation vacation", TestVectors.Of(1f))], "hr");
        }

        await _index.ReplaceAsync("public.md", [("vacation and many other words besides it", TestVectors.Of(1f))]);

        var rows = await SearchAsync("vacation", AccessScope.Public, sourcePatterns: [], limit: 1);

        Assert.Equal(["vacation and many other words besides it"], await TextsAsync(rows));
    }

    [Fact]
    public async Task SearchAsync_SourcePatterns_KeepOnlyMatchingSources()
    {
        await _index.ReplaceAsync("handbook/leave.md", [("vacation policy", TestVectors.Of(1f))]);
        await _index.ReplaceAsync("policies/leave.md", [("vacation rules", TestVectors.Of(1f))]);

        var rows = await SearchAsync("vacation", AccessScope.Unrestricted, ["policies/**"], limit: 10);

        Assert.Equal(["vacation rules"], await TextsAsync(rows));
    }

    private async Task<IReadOnlyList<ScoredRow>> SearchAsync(string text, AccessScope access, string[] sourcePatterns, int limit)
    {
        var request = ChunkSearchRequest.From(new ChunkQuery(SearchMode.Keyword, text, TestVectors.Of(1f), limit, new ChunkFilter(access, sourcePatterns)));
        await using var connection = await _index.Database.OpenConnectionAsync();
        await using var transaction = connection.BeginTransaction(deferred: true);
        var state = await ChunkIndexState.ReadAsync(connection, transaction, CancellationToken.None);
        return await new SqliteKeywordSearch(_index.Options.CommonTermChunks).SearchAsync(connection, transaction, request, state, limit, CancellationToken.None);
    }

    private async Task<string[]> TextsAsync(IReadOnlyList<ScoredRow> rows)
    {
        await using var connection = await _index.Database.OpenConnectionAsync();
        var texts = new List<string>();
        foreach (var row in rows)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT text FROM chunks WHERE id = $id;";
            command.Parameters.AddWithValue("$id", row.RowId);
            texts.Add((string)(await command.ExecuteScalarAsync())!);
        }

        return [.. texts];
    }
}
