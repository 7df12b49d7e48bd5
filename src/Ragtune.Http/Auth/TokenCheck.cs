namespace Ragtune.Http.Auth;

/// <summary>What checking a bearer token found.</summary>
public enum TokenVerdict
{
    /// <summary>Signed by the issuer's key, from the issuer, for this API, within its lifetime.</summary>
    Valid,

    /// <summary>Not a token Ragtune accepts (malformed, unsigned, wrongly signed, expired, another issuer or audience).</summary>
    Invalid,

    /// <summary>A valid token whose groups cannot be used (Entra ID's group overage, or too many groups).</summary>
    UnusableGroups,

    /// <summary>The issuer's metadata or keys could not be read, so no token can be checked now.</summary>
    IssuerUnavailable,
}

/// <summary>
/// The outcome of checking a bearer token: the caller's groups when valid, else why not in words safe to send back
/// (never the token or its claims).
/// </summary>
public sealed record TokenCheck(TokenVerdict Verdict, IReadOnlyList<string> Groups, string Reason)
{
    public static TokenCheck Valid(IReadOnlyList<string> groups) => new(TokenVerdict.Valid, groups, "");

    public static TokenCheck Invalid(string reason) => new(TokenVerdict.Invalid, [], reason);
}
