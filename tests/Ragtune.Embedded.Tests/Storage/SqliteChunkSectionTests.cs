using Microsoft.Data.Sqlite;
using Ragtune.Core.Index;
using Ragtune.Embedded.Storage;

namespace Ragtune.Embedded.Tests.Storage;

/// <summary>A chunk's section: stored with it, returned with every hit, keyword-indexed in a column of its own.</summary>
public sealed class SqliteChunkSectionTests : IDisposable
{
    private readonly TestIndex _index = TestIndex.Create();

    public void Dispose() => _index.Dispose();

    [Theory]
    [MemberData(nameof(TestChunks.Modes), MemberType = typeof(TestChunks))]
    public async Task Search_HitsCarryTheChunksSection(SearchMode mode)
    {
        await ReplaceAsync("roles.md", ("Manage the company's IT infrastructure.", "Chief Technology Officer > Responsibilities", TestVectors.Of(1f)));

        var hit = Assert.Single(await _index.SearchAsync(mode, "infrastructure", TestVectors.Of(1f)));

        Assert.Equal("Chief Technology Officer > Responsibilities", hit.Chunk.Section);
    }

    [Theory]
    [MemberData(nameof(TestChunks.Modes), MemberType = typeof(TestChunks))]
    public async Task Search_HitsCarryThePageTheChunkEndsOn(SearchMode mode)
    {
        var documentId = DocumentIds.ForSource("plan.pdf");
        await using (var replacement = await _index.Index.BeginReplaceAsync(documentId))
        {
            await replacement.AddAsync(
            [
                TestChunks.Create("plan.pdf", 0, "Premiums are paid monthly.", TestVectors.Of(1f), []) with { Page = 3, LastPage = 4 },
                TestChunks.Create("plan.pdf", 1, "Premiums rise yearly.", TestVectors.Of(0.9f, 0.1f), []) with { Page = 4, LastPage = 4 },
            ]);
            await replacement.CommitAsync();
        }

        var hits = await _index.SearchAsync(mode, "premiums", TestVectors.Of(1f));

        Assert.Equal([(3, 4), (4, 4)], hits.Select(hit => (hit.Chunk.Page, hit.Chunk.LastPage)).Order());
    }

    [Fact]
    public async Task Keyword_WordOnlyInTheSection_FindsTheChunk()
    {
        await ReplaceAsync("roles.md",
            ("Manage the company's IT infrastructure.", "Chief Technology Officer > Responsibilities", TestVectors.Of(1f)),
            ("Prepare the annual budget.", "Chief Financial Officer > Responsibilities", TestVectors.Of(0f, 1f)));

        var hits = await _index.SearchAsync(SearchMode.Keyword, "technology", TestVectors.Of(1f));

        Assert.Equal("Manage the company's IT infrastructure.", Assert.Single(hits).Chunk.Text);
    }

    [Fact]
    public async Task Keyword_SectionWeight_RanksASectionMatchOverATextMatch()
    {
        using var heavy = TestIndex.Create(options => options.SectionWeight = 10);
        using var light = TestIndex.Create(options => options.SectionWeight = 0.1);
        foreach (var index in new[] { heavy, light })
        {
            await ReplaceAsync(index, "plan.md",
                ("Premiums are paid each month for dental cover.", "Plan > Costs", TestVectors.Of(1f)),
                ("Cleanings twice a year.", "Plan > Dental", TestVectors.Of(0f, 1f)));
        }

        var first = new Dictionary<string, string>();
        foreach (var (name, index) in new[] { ("heavy", heavy), ("light", light) })
        {
            first[name] = (await index.SearchAsync(SearchMode.Keyword, "dental", TestVectors.Of(1f)))[0].Chunk.Section;
        }

        Assert.Equal("Plan > Dental", first["heavy"]);
        Assert.Equal("Plan > Costs", first["light"]);
    }

    [Fact]
    public async Task Open_FileOfSchemaVersion4WithChunks_KeepsThemSearchableWithoutASectionEndingOnTheirPage()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_index.Database.FilePath)!);
        var documentId = DocumentIds.ForSource("a.md");
        await using (var old = new SqliteConnection($"Data Source={_index.Database.FilePath};Pooling=False"))
        {
            await old.OpenAsync();
            await using var command = old.CreateCommand();
            command.CommandText = string.Join('\n', SqliteSchema.Migrations.Where(m => m.Version <= 4).Select(m => m.Sql)) + $"""
                PRAGMA user_version = 4;
                INSERT INTO chunks (chunk_id, document_id, ordinal, source, page, groups, content_hash, text, vector)
                VALUES ('{DocumentIds.ForChunk(documentId, 0)}', '{documentId}', 0, 'a.md', 1, '[]', 'hash', 'vacation days accrue monthly', $vector);
                UPDATE chunk_index_state SET version = 1, chunks = 1;
                """;
            command.Parameters.AddWithValue("$vector", VectorEncoding.ToBlob(TestVectors.Of(1f)));
            await command.ExecuteNonQueryAsync();
        }

        var hit = Assert.Single(await _index.SearchAsync(SearchMode.Keyword, "vacation", TestVectors.Of(1f)));

        Assert.Equal("vacation days accrue monthly", hit.Chunk.Text);
        Assert.Equal("", hit.Chunk.Section);
        Assert.Equal(1, hit.Chunk.LastPage);
    }

    private Task ReplaceAsync(string source, params (string Text, string Section, float[] Vector)[] chunks) => ReplaceAsync(_index, source, chunks);

    private static async Task ReplaceAsync(TestIndex index, string source, params (string Text, string Section, float[] Vector)[] chunks)
    {
        var documentId = DocumentIds.ForSource(source);
        await using var replacement = await index.Index.BeginReplaceAsync(documentId);
        await replacement.AddAsync([.. chunks.Select((chunk, ordinal) => TestChunks.Create(source, ordinal, chunk.Text, chunk.Vector, []) with { Section = chunk.Section })]);
        await replacement.CommitAsync();
    }
}
