using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Ragtune.Core.Api;
using Ragtune.Core.Index;

namespace Ragtune.Http;

/// <summary>
/// The one place that decides what a request's caller may read, for both hosts: the groups of
/// <c>x-ms-client-principal</c> when <see cref="AuthOptions.TrustClientPrincipalHeader"/> is on, else public documents
/// only. It may refuse a request (a problem instead of a scope), for checks of the caller's credentials.
/// </summary>
public sealed class CallerAccess(IOptions<AuthOptions> options)
{
    public ValueTask<ApiResult<AccessScope>> ScopeOfAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var scope = options.Value.TrustClientPrincipalHeader
            ? ClientPrincipal.ToAccessScope(request.Headers[ClientPrincipal.HeaderName])
            : AccessScope.Public;
        return ValueTask.FromResult<ApiResult<AccessScope>>(scope);
    }
}
