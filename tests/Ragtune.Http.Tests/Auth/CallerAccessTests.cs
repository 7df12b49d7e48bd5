using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Core.Api;
using Ragtune.Core.Index;
using Ragtune.Http.Auth;
using Ragtune.Testing.Identity;

namespace Ragtune.Http.Tests.Auth;

/// <summary>The one place both hosts ask for the caller's access scope: which identity counts, and when a call is refused.</summary>
public sealed class CallerAccessTests : IAsyncLifetime
{
    private static readonly string HrPrincipal = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"claims":[{"typ":"groups","val":"hr"}]}"""));

    private LoopbackOpenIdIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await LoopbackOpenIdIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Fact]
    public async Task ScopeOf_TrustedClientPrincipal_IsTheHeadersGroups()
    {
        var scope = await ScopeAsync(new AuthOptions { TrustClientPrincipalHeader = true }, principal: HrPrincipal);

        Assert.Equal(["hr"], scope.Value!.Groups);
    }

    [Fact]
    public async Task ScopeOf_UntrustedClientPrincipal_IsPublicOnly() =>
        Assert.Equal(AccessScope.Public, (await ScopeAsync(new AuthOptions(), principal: HrPrincipal)).Value);

    [Fact]
    public async Task ScopeOf_NoHeader_IsPublicOnlyEvenWhenTrusted() =>
        Assert.Equal(AccessScope.Public, (await ScopeAsync(new AuthOptions { TrustClientPrincipalHeader = true })).Value);

    [Fact]
    public async Task ScopeOf_TokenWithoutAnIssuerConfigured_ChangesNothing()
    {
        var scope = await ScopeAsync(new AuthOptions(), authorization: $"Bearer {_issuer.Issue(new TokenSpec { Groups = ["hr"] })}");

        Assert.Equal(AccessScope.Public, scope.Value);
    }

    [Fact]
    public async Task ScopeOf_UnsignedTokenWithoutAnIssuerConfigured_ChangesNothing()
    {
        var scope = await ScopeAsync(new AuthOptions { TrustClientPrincipalHeader = true }, authorization: $"Bearer {_issuer.IssueUnsigned(new TokenSpec { Groups = ["hr"] })}");

        Assert.Equal(AccessScope.Public, scope.Value);
    }

    [Fact]
    public async Task ScopeOf_ValidToken_IsItsGroups()
    {
        var scope = await ScopeAsync(TokenOptions(), authorization: $"Bearer {_issuer.Issue(new TokenSpec { Groups = ["hr", "board"] })}");

        Assert.Equal(["board", "hr"], scope.Value!.Groups);
    }

    [Fact]
    public async Task ScopeOf_ValidTokenAndTrustedPrincipal_TakesTheToken()
    {
        var options = TokenOptions();
        options.TrustClientPrincipalHeader = true;

        var scope = await ScopeAsync(options, principal: HrPrincipal, authorization: $"Bearer {_issuer.Issue(new TokenSpec { Groups = ["board"] })}");

        Assert.Equal(["board"], scope.Value!.Groups);
    }

    [Fact]
    public async Task ScopeOf_ExpiredToken_Is401NotPublicAccess()
    {
        var scope = await ScopeAsync(TokenOptions(), authorization: $"Bearer {_issuer.Issue(new TokenSpec { Lifetime = TimeSpan.FromMinutes(-5) })}");

        Assert.False(scope.Succeeded);
        Assert.Equal(401, scope.Problem!.Status);
        Assert.Equal(CallerProblems.InvalidTokenCode, scope.Problem!.Code);
        Assert.Contains("expired", scope.Problem!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("bearer not-a-jwt")]
    [InlineData("Bearer a.b.c")]
    public async Task ScopeOf_AuthorizationThatIsNoValidBearerToken_Is401(string authorization)
    {
        var scope = await ScopeAsync(TokenOptions(), authorization: authorization);

        Assert.Equal(401, scope.Problem!.Status);
        Assert.Equal(CallerProblems.InvalidTokenCode, scope.Problem!.Code);
    }

    [Fact]
    public async Task ScopeOf_NoToken_WhenRequired_Is401WithoutAnErrorCode()
    {
        var options = TokenOptions();
        options.RequireAuthenticatedCaller = true;

        var scope = await ScopeAsync(options, principal: HrPrincipal);

        Assert.Equal(401, scope.Problem!.Status);
        Assert.Equal(CallerProblems.AuthenticationRequiredCode, scope.Problem!.Code);
        Assert.Equal("Bearer", CallerProblems.Challenge(scope.Problem!));
    }

    [Fact]
    public async Task ScopeOf_NoToken_WhenNotRequired_IsPublicOnly() =>
        Assert.Equal(AccessScope.Public, (await ScopeAsync(TokenOptions())).Value);

    [Fact]
    public async Task ScopeOf_GroupOverage_Is403()
    {
        var overage = new Dictionary<string, object> { ["_claim_names"] = new Dictionary<string, object> { ["groups"] = "src1" } };

        var scope = await ScopeAsync(TokenOptions(), authorization: $"Bearer {_issuer.Issue(new TokenSpec { Groups = null, ExtraClaims = overage })}");

        Assert.Equal(403, scope.Problem!.Status);
        Assert.Null(CallerProblems.Challenge(scope.Problem!));
    }

    [Fact]
    public async Task ScopeOf_IssuerDown_Is503WithRetryAfter()
    {
        _issuer.Available = false;

        var scope = await ScopeAsync(TokenOptions(), authorization: $"Bearer {_issuer.Issue()}");

        Assert.Equal(503, scope.Problem!.Status);
        Assert.NotNull(scope.Problem!.RetryAfter);
    }

    [Fact]
    public void Challenge_OfARefusedToken_NamesTheErrorAndKeepsTheHeaderValid()
    {
        var challenge = CallerProblems.Challenge(CallerProblems.InvalidToken("The \"token\" has expired.\r\nX-Injected: 1"));

        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"The token has expired.X-Injected: 1\"", challenge);
    }

    private AuthOptions TokenOptions() =>
        new() { Authority = _issuer.Authority, Audience = LoopbackOpenIdIssuer.DefaultAudience, RequireHttpsMetadata = false };

    private static async Task<ApiResult<AccessScope>> ScopeAsync(AuthOptions options, string? principal = null, string? authorization = null)
    {
        var wrapped = Options.Create(options);
        var http = new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        using var tokens = new BearerTokenValidator(wrapped, http, TimeProvider.System, NullLogger<BearerTokenValidator>.Instance);
        var access = new CallerAccess(wrapped, tokens);
        var request = new DefaultHttpContext().Request;
        if (principal is not null)
        {
            request.Headers[ClientPrincipal.HeaderName] = principal;
        }

        if (authorization is not null)
        {
            request.Headers.Authorization = authorization;
        }

        return await access.ScopeOfAsync(request);
    }
}
