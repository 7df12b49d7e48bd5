using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Documents;

/// <summary>A sidecar gives a document's groups only when it says exactly that; anything else fails the document.</summary>
public sealed class AccessControlSidecarTests
{
    [Theory]
    [InlineData("{\"groups\": [\"hr\", \"board\"]}", new[] { "hr", "board" })]
    [InlineData("{\"groups\": []}", new string[0])]
    [InlineData("{ \"groups\" : [ \" hr \" ] }", new[] { "hr" })]
    public void Parse_GroupsObject_ReturnsItsGroups(string json, string[] groups)
    {
        Assert.Equal(groups, AccessControlSidecar.Parse("a.pdf", json));
    }

    [Theory]
    [InlineData("{\"groups\": [\"hr\"], \"groups\": []}")]
    [InlineData("{\"groups\": [], \"groups\": [\"hr\"]}")]
    [InlineData("{\"groups\": [\"hr\"], \"Groups\": []}")]
    [InlineData("{\"groups\": [\"hr\"], \"public\": true}")]
    [InlineData("{\"group\": [\"hr\"]}")]
    [InlineData("{}")]
    [InlineData("{\"groups\": \"hr\"}")]
    [InlineData("{\"groups\": [\"\"]}")]
    [InlineData("[\"hr\"]")]
    [InlineData("{\"groups\": [\"hr\"]")]
    public void Parse_AnythingButOneGroupsList_FailsTheDocument(string json)
    {
        var failure = Assert.Throws<DocumentReadException>(() => AccessControlSidecar.Parse("a.pdf", json));

        Assert.Equal(DocumentReadFailure.InvalidAccessControl, failure.Failure);
        Assert.Equal("a.pdf", failure.Source);
        Assert.Contains("access-control sidecar", failure.Reason, StringComparison.Ordinal);
    }
}
