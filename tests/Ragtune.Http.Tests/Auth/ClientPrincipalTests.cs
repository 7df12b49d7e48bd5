using System.Text;
using Ragtune.Core.Index;
using Ragtune.Http.Auth;

namespace Ragtune.Http.Tests.Auth;

public sealed class ClientPrincipalTests
{
    [Fact]
    public void ToAccessScope_GroupClaims_BecomeTheCallersGroups()
    {
        var header = Base64("{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"groups\",\"val\":\"hr\"},{\"typ\":\"name\",\"val\":\"Ann\"},{\"typ\":\"groups\",\"val\":\"board\"}]}");

        var scope = ClientPrincipal.ToAccessScope(header);

        Assert.Equal(["board", "hr"], scope.Groups);
        Assert.False(scope.IsUnrestricted);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("bm90IGpzb24=")]
    [InlineData("eyJjbGFpbXMiOiAiaHIifQ==")]
    public void ToAccessScope_MissingOrUnreadableHeader_IsPublicOnly(string? header)
    {
        Assert.Equal(AccessScope.Public, ClientPrincipal.ToAccessScope(header));
    }

    private static string Base64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
}
