using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Ragtune.Core.Api;
using Ragtune.Core.Index;

namespace Ragtune.Http.Auth;

/// <summary>
/// The one place that decides what a request's caller may read, for both hosts (../shared/design/http-api.md, Access
/// control). The groups come only from a verified identity:
/// <list type="bullet">
/// <item>a bearer token (<c>Authorization: Bearer</c>) that <see cref="BearerTokenValidator"/> accepts, when
/// <see cref="AuthOptions.Authority"/> is set; a token that is not valid is a 401, never public access;</item>
/// <item>else <c>x-ms-client-principal</c>, when <see cref="AuthOptions.TrustClientPrincipalHeader"/> is on;</item>
/// <item>else none: public documents only (and a 401 when <see cref="AuthOptions.RequireAuthenticatedCaller"/>).</item>
/// </list>
/// Without an issuer configured, an <c>Authorization</c> header changes nothing: no token can be checked.
/// </summary>
public sealed class CallerAccess(IOptions<AuthOptions> options, BearerTokenValidator tokens)
{
    private const string BearerScheme = "Bearer";

    public async ValueTask<ApiResult<AccessScope>> ScopeOfAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        if (settings.ValidatesTokens && request.Headers.Authorization.Count > 0)
        {
            if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var authorization)
                || !string.Equals(authorization.Scheme, BearerScheme, StringComparison.OrdinalIgnoreCase)
                || string.IsNullOrWhiteSpace(authorization.Parameter))
            {
                return CallerProblems.InvalidToken("The Authorization header is not a bearer token.");
            }

            var check = await tokens.ValidateAsync(authorization.Parameter, cancellationToken);
            return check.Verdict switch
            {
                TokenVerdict.Valid => AccessScope.ForGroups(check.Groups),
                TokenVerdict.UnusableGroups => CallerProblems.GroupsUnknown(check.Reason),
                TokenVerdict.IssuerUnavailable => CallerProblems.IssuerUnavailable(),
                _ => CallerProblems.InvalidToken(check.Reason),
            };
        }

        if (settings.RequireAuthenticatedCaller)
        {
            return CallerProblems.AuthenticationRequired();
        }

        return settings.TrustClientPrincipalHeader
            ? ClientPrincipal.ToAccessScope(request.Headers[ClientPrincipal.HeaderName])
            : AccessScope.Public;
    }
}
