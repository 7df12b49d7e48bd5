namespace Ragtune.Cli.Verification;

/// <summary>How one check of <c>ragtune verify</c> ended.</summary>
public enum CheckOutcome
{
    /// <summary>The deployment did what the API documents.</summary>
    Pass,

    /// <summary>It did, but something deserves a look (an answer that is not grounded, a document that failed to index).</summary>
    Warn,

    /// <summary>It did not.</summary>
    Fail,

    /// <summary>Not run, because a check it needs failed (a rating needs an answer).</summary>
    Skip,
}

/// <summary>One check: its name, how it ended and what was seen, with the HTTP status and the Problem Details <c>code</c> of the response it judged.</summary>
/// <param name="Name">The check's name (<c>health</c>, <c>ask-stream</c>, ...).</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">What was seen, or what was wrong.</param>
public sealed record CheckResult(string Name, CheckOutcome Outcome, string Detail)
{
    /// <summary>The HTTP status of the response the check judged; null when none came back.</summary>
    public int? Status { get; init; }

    /// <summary>The <c>code</c> of the Problem Details body, when one came back.</summary>
    public string? Code { get; init; }
}

/// <summary>Every check run against one deployment (the <c>--json</c> output of <c>ragtune verify</c>).</summary>
/// <param name="Url">The deployment's base URL.</param>
/// <param name="Checks">The checks, in the order they ran.</param>
public sealed record VerificationReport(Uri Url, IReadOnlyList<CheckResult> Checks)
{
    /// <summary>True when no check failed (warnings do not fail a deployment).</summary>
    public bool Passed => Checks.All(check => check.Outcome != CheckOutcome.Fail);
}
