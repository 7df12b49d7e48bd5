using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Ragtune.Http.Auth;

/// <summary>
/// How the HTTP API learns who is calling (section <c>Ragtune:Auth</c>), the same on both hosts. A caller's groups
/// come only from a verified identity: a bearer token that Ragtune validates itself (<see cref="Authority"/> and
/// <see cref="Audience"/>), or the <c>x-ms-client-principal</c> header of a trusted proxy
/// (<see cref="TrustClientPrincipalHeader"/>). Otherwise every caller reads public documents only.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Ragtune:Auth";

    /// <summary>
    /// The OpenID Connect issuer whose tokens are accepted, such as Microsoft Entra ID's
    /// <c>https://login.microsoftonline.com/{tenant}/v2.0</c>; its signing keys come from
    /// <c>{Authority}/.well-known/openid-configuration</c>.
    /// </summary>
    public Uri? Authority { get; set; }

    /// <summary>The audience a token must be issued for: the API's application (client) id or identifier URI.</summary>
    public string? Audience { get; set; }

    /// <summary>The claim that holds the caller's groups: <c>groups</c> (Entra ID security groups) or <c>roles</c> (app roles).</summary>
    [Required(AllowEmptyStrings = false)]
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>Fetch the issuer's metadata only over HTTPS. May be false only for a loopback authority (tests, local use).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// Read the caller's groups from <c>x-ms-client-principal</c>. Only behind a proxy that sets the header and strips it
    /// from clients (App Service authentication): anyone can send it.
    /// </summary>
    public bool TrustClientPrincipalHeader { get; set; }

    /// <summary>Every API call but health needs a valid bearer token.</summary>
    public bool RequireAuthenticatedCaller { get; set; }

    /// <summary>How far a token's lifetime may be off the server's clock.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>True when bearer tokens are validated.</summary>
    public bool ValidatesTokens => Authority is not null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Authority is null != string.IsNullOrWhiteSpace(Audience))
        {
            yield return new ValidationResult(
                $"{SectionName}:Authority and {SectionName}:Audience go together: set both to accept bearer tokens, or neither.",
                [nameof(Authority), nameof(Audience)]);
        }

        if (Authority is not null)
        {
            if (!Authority.IsAbsoluteUri || Authority.Scheme is not ("https" or "http"))
            {
                yield return new ValidationResult($"{SectionName}:Authority must be an absolute https URL, such as https://login.microsoftonline.com/TENANT/v2.0.", [nameof(Authority)]);
            }
            else if (Authority.Scheme == "http" && RequireHttpsMetadata)
            {
                yield return new ValidationResult(
                    $"{SectionName}:Authority '{Authority}' is not https; set {SectionName}:RequireHttpsMetadata=false only for a loopback issuer in tests and local use.",
                    [nameof(Authority)]);
            }
            else if (!RequireHttpsMetadata && !IsLoopback(Authority))
            {
                yield return new ValidationResult(
                    $"{SectionName}:RequireHttpsMetadata may be false only for a loopback authority (localhost, 127.0.0.1, ::1), not '{Authority.Host}'.",
                    [nameof(RequireHttpsMetadata)]);
            }
        }

        if (RequireAuthenticatedCaller && Authority is null)
        {
            yield return new ValidationResult(
                $"{SectionName}:RequireAuthenticatedCaller needs {SectionName}:Authority and {SectionName}:Audience: without an issuer no token can be valid.",
                [nameof(RequireAuthenticatedCaller)]);
        }
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
