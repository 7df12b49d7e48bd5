namespace Ragtune.Cli.Verification;

/// <summary>The deployment <c>ragtune verify</c> checks, and how it calls it.</summary>
/// <param name="Url">The deployment's base URL (the API is under <c>{Url}/api</c>).</param>
/// <param name="Timeout">How long one request may take, a streamed answer included.</param>
public sealed record VerificationTarget(Uri Url, TimeSpan Timeout)
{
    /// <summary>A function key, sent as <c>x-functions-key</c> on every request.</summary>
    public string? Key { get; init; }

    /// <summary>A bearer token, sent as <c>Authorization: Bearer</c> on every request but the anonymous and forged ones.</summary>
    public string? Token { get; init; }

    /// <summary>The question to ask; null: one made from the first indexed document's name.</summary>
    public string? Question { get; init; }
}
