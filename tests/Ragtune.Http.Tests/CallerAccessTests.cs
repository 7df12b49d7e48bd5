using System.Text;
using Microsoft.AspNetCore.Http;
using Ragtune.Core.Index;

namespace Ragtune.Http.Tests;

/// <summary>The one place both hosts ask for the caller's access scope.</summary>
public sealed class CallerAccessTests
{
    private static readonly string HrGroup = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"claims":[{"typ":"groups","val":"hr"}]}"""));

    [Fact]
    public async Task ScopeOf_TrustedClientPrincipal_IsTheHeadersGroups()
    {
        var scope = await ScopeAsync(trustClientPrincipal: true, HrGroup);

        Assert.Equal(["hr"], scope.Groups);
    }

    [Fact]
    public async Task ScopeOf_UntrustedClientPrincipal_IsPublicOnly()
    {
        Assert.Equal(AccessScope.Public, await ScopeAsync(trustClientPrincipal: false, HrGroup));
    }

    [Fact]
    public async Task ScopeOf_NoHeader_IsPublicOnlyEvenWhenTrusted()
    {
        Assert.Equal(AccessScope.Public, await ScopeAsync(trustClientPrincipal: true, header: null));
    }

    private static async Task<AccessScope> ScopeAsync(bool trustClientPrincipal, string? header)
    {
        var access = new CallerAccess(Microsoft.Extensions.Options.Options.Create(new AuthOptions { TrustClientPrincipalHeader = trustClientPrincipal }));
        var request = new DefaultHttpContext().Request;
        if (header is not null)
        {
            request.Headers[ClientPrincipal.HeaderName] = header;
        }

        var scope = await access.ScopeOfAsync(request);
        Assert.True(scope.Succeeded);
        return scope.Value;
    }
}
