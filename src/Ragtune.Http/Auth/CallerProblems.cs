using Ragtune.Core.Api;

namespace Ragtune.Http.Auth;

/// <summary>
/// The problems of a caller's credentials. A 401 carries <c>WWW-Authenticate: Bearer</c> (RFC 6750), with
/// <c>error="invalid_token"</c> when a token was sent and refused (<see cref="Challenge"/>).
/// </summary>
public static class CallerProblems
{
    public const string AuthenticationRequiredCode = "authentication-required";
    public const string InvalidTokenCode = "invalid-token";

    /// <summary>No token, where every call needs one (<c>Ragtune:Auth:RequireAuthenticatedCaller</c>).</summary>
    public static ApiProblem AuthenticationRequired() => new(
        401, AuthenticationRequiredCode, "Sign-in is required.", "Send an access token of the configured identity provider as Authorization: Bearer.");

    /// <summary>A token that is not valid: expired, wrongly signed, for another audience or issuer, malformed.</summary>
    public static ApiProblem InvalidToken(string reason) => new(401, InvalidTokenCode, "The access token is not valid.", reason);

    /// <summary>A valid token whose groups cannot be known, so documents of any group would be guessed.</summary>
    public static ApiProblem GroupsUnknown(string reason) => new(403, "groups-unknown", "The caller's groups are unknown.", reason);

    /// <summary>The identity provider's keys cannot be read, so no token can be checked now.</summary>
    public static ApiProblem IssuerUnavailable() => new(
        503, "identity-provider-unavailable", "The identity provider is unavailable.", "The identity provider's signing keys cannot be read. Try again later.")
    {
        RetryAfter = TimeSpan.FromSeconds(10),
    };

    /// <summary>The <c>WWW-Authenticate</c> value of a 401 problem, or null for any other problem.</summary>
    public static string? Challenge(ApiProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem switch
        {
            { Status: 401, Code: InvalidTokenCode } => $"Bearer error=\"invalid_token\", error_description=\"{Quoted(problem.Detail)}\"",
            { Status: 401 } => "Bearer",
            _ => null,
        };
    }

    private static string Quoted(string text) => new([.. text.Where(c => c is >= ' ' and <= '~' && c is not ('"' or '\\'))]);
}
