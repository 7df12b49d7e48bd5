using Ragtune.Core.Index;

namespace Ragtune.Embedded.Tests.Storage;

public sealed class SqliteChunkIndexAccessTests : IDisposable
{
    private const string Text = "vacation policy details";
    private static readonly float[] Question = TestVectors.Of(1f);

    private readonly TestIndex _index = TestIndex.Create();

    public void Dispose() => _index.Dispose();

    [Theory]
    [MemberData(nameof(TestChunks.Modes), MemberType = typeof(TestChunks))]
    public async Task Public_NeverSeesAGroupDocument(SearchMode mode)
    {
        await LoadAsync();

        var sources = await SourcesAsync(mode, new ChunkFilter(AccessScope.Public, []));

        Assert.Equal(["public/handbook.md"], sources);
    }

    [Theory]
    [MemberData(nameof(TestChunks.Modes), MemberType = typeof(TestChunks))]
    public async Task Group_SeesPublicAndItsOwnGroupsOnly(SearchMode mode)
    {
        await LoadAsync();

        var hr = await SourcesAsync(mode, new ChunkFilter(AccessScope.ForGroups(["hr"]), []));
        var board = await SourcesAsync(mode, new ChunkFilter(AccessScope.ForGroups(["board", "unknown"]), []));
        var other = await SourcesAsync(mode, new ChunkFilter(AccessScope.ForGroups(["finance"]), []));

        Assert.Equal(["hr/salaries.md", "public/handbook.md", "shared/hr-board.md"], hr);
        Assert.Equal(["board/minutes.md", "public/handbook.md", "shared/hr-board.md"], board);
        Assert.Equal(["public/handbook.md"], other);
    }

    [Theory]
    [MemberData(nameof(TestChunks.Modes), MemberType = typeof(TestChunks))]
    public async Task Unrestricted_SeesEverything(SearchMode mode)
    {
        await LoadAsync();

        var sources = await SourcesAsync(mode, ChunkFilter.Unrestricted);

        Assert.Equal(["board/minutes.md", "hr/salaries.md", "public/handbook.md", "shared/hr-board.md"], sources);
    }

    [Theory]
    [MemberData(nameof(TestChunks.Modes), MemberType = typeof(TestChunks))]
    public async Task GroupChunks_NeverFillTopForPublic(SearchMode mode)
    {
        // The group chunks are the best matches; a public caller gets the public one, not an empty or leaky list.
        await LoadAsync();

        var hits = await _index.SearchAsync(mode, Text, Question, top: 1, new ChunkFilter(AccessScope.Public, []));

        Assert.Equal("public/handbook.md", Assert.Single(hits).Chunk.Source);
    }

    [Theory]
    [InlineData(SearchMode.Vector, new[] { "hr/*.md" }, new[] { "hr/salaries.md" })]
    [InlineData(SearchMode.Keyword, new[] { "hr/*.md" }, new[] { "hr/salaries.md" })]
    [InlineData(SearchMode.Hybrid, new[] { "hr/*.md" }, new[] { "hr/salaries.md" })]
    [InlineData(SearchMode.Hybrid, new[] { "*.md" }, new string[0])]
    [InlineData(SearchMode.Hybrid, new[] { "**/*.md" }, new[] { "board/minutes.md", "hr/salaries.md", "public/handbook.md", "shared/hr-board.md" })]
    [InlineData(SearchMode.Keyword, new[] { "**/h*.md" }, new[] { "public/handbook.md", "shared/hr-board.md" })]
    [InlineData(SearchMode.Vector, new[] { "board/**", "public/*" }, new[] { "board/minutes.md", "public/handbook.md" })]
    [InlineData(SearchMode.Keyword, new[] { "?r/salaries.md" }, new[] { "hr/salaries.md" })]
    public async Task SourcePatterns_FilterEveryMode(SearchMode mode, string[] patterns, string[] expected)
    {
        await LoadAsync();

        var sources = await SourcesAsync(mode, new ChunkFilter(AccessScope.Unrestricted, patterns));

        Assert.Equal(expected, sources);
    }

    [Theory]
    [MemberData(nameof(TestChunks.Modes), MemberType = typeof(TestChunks))]
    public async Task SourcePatterns_AndAccess_BothApply(SearchMode mode)
    {
        await LoadAsync();

        var sources = await SourcesAsync(mode, new ChunkFilter(AccessScope.ForGroups(["board"]), ["hr/**", "shared/**"]));

        Assert.Equal(["shared/hr-board.md"], sources);
    }

    [Fact]
    public async Task Search_BlankSourcePattern_Throws()
    {
        await LoadAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => _index.SearchAsync(SearchMode.Hybrid, Text, Question, filter: new ChunkFilter(AccessScope.Public, [" "])));
    }

    [Fact]
    public async Task GroupsChangedOnReplace_ApplyImmediately()
    {
        await LoadAsync();
        await _index.SearchAsync(SearchMode.Vector, "", Question);

        await _index.ReplaceAsync("public/handbook.md", [($"{Text} now restricted", TestVectors.Of(1f, 0.5f))], "hr");

        Assert.Empty(await SourcesAsync(SearchMode.Hybrid, new ChunkFilter(AccessScope.Public, [])));
    }

    private async Task LoadAsync()
    {
        await _index.ReplaceAsync("public/handbook.md", [($"{Text} for everyone", TestVectors.Of(1f, 0.5f))]);
        await _index.ReplaceAsync("hr/salaries.md", [($"{Text} salaries", TestVectors.Of(1f, 0.1f)), ($"{Text} bonuses", TestVectors.Of(1f, 0.2f))], "hr");
        await _index.ReplaceAsync("board/minutes.md", [($"{Text} minutes", TestVectors.Of(1f, 0.15f))], "board");
        await _index.ReplaceAsync("shared/hr-board.md", [($"{Text} shared", TestVectors.Of(1f, 0.3f))], "board", "hr");
    }

    private async Task<string[]> SourcesAsync(SearchMode mode, ChunkFilter filter)
    {
        var hits = await _index.SearchAsync(mode, Text, Question, top: 50, filter);
        return [.. hits.Select(h => h.Chunk.Source).Distinct().Order(StringComparer.Ordinal)];
    }
}
