using Ragtune.Core.Index;

namespace Ragtune.Core.Tests.Index;

public sealed class AccessScopeTests
{
    [Fact]
    public void Public_ReadsOnlyDocumentsWithoutGroups()
    {
        Assert.True(AccessScope.Public.CanRead([]));
        Assert.False(AccessScope.Public.CanRead(["hr"]));
    }

    [Fact]
    public void ForGroups_ReadsPublicAndItsOwnGroups()
    {
        var scope = AccessScope.ForGroups(["hr", " board ", ""]);

        Assert.Equal(["board", "hr"], scope.Groups);
        Assert.True(scope.CanRead([]));
        Assert.True(scope.CanRead(["finance", "board"]));
        Assert.False(scope.CanRead(["finance"]));
    }

    [Fact]
    public void Unrestricted_ReadsEverything()
    {
        Assert.True(AccessScope.Unrestricted.CanRead(["anything"]));
    }
}
