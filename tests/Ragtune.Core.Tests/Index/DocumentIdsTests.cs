using Ragtune.Core.Index;

namespace Ragtune.Core.Tests.Index;

public sealed class DocumentIdsTests
{
    [Theory]
    [InlineData("handbook/benefits.pdf", "handbook/benefits.pdf")]
    [InlineData("./handbook/benefits.pdf", "handbook/benefits.pdf")]
    [InlineData("handbook\\benefits.pdf", "handbook/benefits.pdf")]
    [InlineData("/handbook/benefits.pdf", "handbook/benefits.pdf")]
    public void ForSource_EquivalentPaths_GiveTheSameId(string path, string canonical)
    {
        Assert.Equal(DocumentIds.ForSource(canonical), DocumentIds.ForSource(path));
    }

    [Fact]
    public void ForSource_DifferentPaths_GiveDifferentIds()
    {
        Assert.NotEqual(DocumentIds.ForSource("a/benefits.pdf"), DocumentIds.ForSource("b/benefits.pdf"));
    }

    [Fact]
    public void Ids_UseOnlyCharactersAzureSearchAcceptsInKeys()
    {
        var chunkId = DocumentIds.ForChunk(DocumentIds.ForSource("Ünïcode folder/a file (1).pdf"), 12);

        Assert.Matches("^[a-z0-9]{32}-12$", chunkId);
    }

    [Fact]
    public void ContentHash_IsSha256OfUtf8Text()
    {
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", DocumentIds.ContentHash("hello"));
    }
}
