using Ragtune.Azure.Search;
using Ragtune.Core.Index;

namespace Ragtune.Azure.Tests.Search;

public sealed class ChunkFiltersTests
{
    [Fact]
    public void ForSearch_Public_SeesCommittedChunksWithoutGroups()
    {
        Assert.Equal("committed eq true and not groups/any()", ChunkFilters.ForSearch(ChunkFilter.Public));
    }

    [Fact]
    public void ForSearch_Unrestricted_SeesEveryCommittedChunk()
    {
        Assert.Equal("committed eq true", ChunkFilters.ForSearch(ChunkFilter.Unrestricted));
    }

    [Fact]
    public void ForSearch_Groups_QuotesAndEscapesEachGroup()
    {
        var filter = new ChunkFilter(AccessScope.ForGroups(["hr", "O'Brien team"]), []);

        Assert.Equal(
            "committed eq true and (not groups/any() or groups/any(g: g eq 'O''Brien team' or g eq 'hr'))",
            ChunkFilters.ForSearch(filter));
    }

    [Fact]
    public void ForSearch_SourcePatterns_NarrowToTheExactSourceOrTheLiteralFolder()
    {
        var filter = new ChunkFilter(AccessScope.Unrestricted, ["handbook/**/*.pdf", "./policies/leave.md", "handbook/a?.pdf"]);

        Assert.Equal(
            "committed eq true and (sourceFolders/any(f: f eq 'handbook/') or source eq 'policies/leave.md')",
            ChunkFilters.ForSearch(filter));
    }

    [Fact]
    public void ForSearch_PatternWithAWildcardInItsFirstFolder_LeavesSourcesToTheHitCheck()
    {
        Assert.Equal("committed eq true", ChunkFilters.ForSearch(new ChunkFilter(AccessScope.Unrestricted, ["*.pdf", "handbook/x.md"])));
    }

    [Fact]
    public void Document_FiltersQuoteTheIds()
    {
        Assert.Equal("documentId eq 'abc' and generation ne 'g1'", ChunkFilters.OthersOf("abc", "g1"));
        Assert.Equal("documentId eq 'abc' and committed eq true", ChunkFilters.VisibleOf("abc"));
    }

    [Fact]
    public void EscapeSimpleQuery_KeepsOperatorsAsText()
    {
        Assert.Equal(@"new\-hire vacation\? \""days\""", ChunkFilters.EscapeSimpleQuery("new-hire vacation? \"days\""));
    }

    [Fact]
    public void FoldersOf_ListsEveryEnclosingFolder()
    {
        Assert.Equal(["a/", "a/b/"], ChunkDocument.FoldersOf("a/b/c.pdf"));
        Assert.Empty(ChunkDocument.FoldersOf("c.pdf"));
    }
}
