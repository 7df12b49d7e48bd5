using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Tests.CommandLine;
using Ragtune.Cli.Tests.Security;
using Ragtune.Cli.Verification;
using Ragtune.Testing.Identity;

namespace Ragtune.Cli.Tests.Verify;

/// <summary>
/// <c>ragtune verify --token</c> against <c>ragtune serve</c> over a public and two restricted documents: the server that
/// believes <c>x-ms-client-principal</c> (as one behind no authenticating proxy must not) fails the forged-principal
/// check, naming what the forged header revealed; the default server passes it, and so does the one that validates
/// tokens of a loopback OpenID issuer, where a token it refuses fails the run saying so.
/// </summary>
public sealed class VerifyForgedPrincipalServeTests(AccessControlFixture fixture) : IClassFixture<AccessControlFixture>
{
    private const string Question = "When does the office open?";

    [Fact]
    public async Task VerifyWithToken_ServerThatBelievesTheHeader_FailsOnlyTheForgedPrincipalCheckAndExitsOne()
    {
        var (exitCode, report) = await VerifyRun.JsonAsync(
            "--url", fixture.Trusted.Client.BaseAddress!.ToString(), "--token", VerifyRun.BoardToken, "--question", Question);

        Assert.Equal(
            DeploymentVerifier.CheckNames.Select(name => new KeyValuePair<string, string>(name, name == DeploymentVerifier.ForgedPrincipal ? "fail" : "pass")),
            VerifyRun.Outcomes(report));
        var detail = VerifyRun.Check(report, DeploymentVerifier.ForgedPrincipal).GetProperty("detail").GetString();
        // The salary bands are the board's too (hr, board): a forged board member sees both restricted documents.
        Assert.EndsWith(
            $"claiming group board sees 2 documents an anonymous caller does not: {AccessControlFixture.BoardSource}, {AccessControlFixture.HrSource}",
            detail,
            StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, exitCode);
    }

    [Fact]
    public async Task VerifyWithToken_DefaultServer_PassesTheForgedPrincipalCheckAndExitsZero()
    {
        var (exitCode, report) = await VerifyRun.JsonAsync(
            "--url", fixture.Untrusted.Client.BaseAddress!.ToString(), "--token", VerifyRun.BoardToken, "--question", Question);

        Assert.All(VerifyRun.Outcomes(report), check => Assert.Equal("pass", check.Value));
        Assert.Contains(DeploymentVerifier.ForgedPrincipal, VerifyRun.Outcomes(report).Select(check => check.Key));
        Assert.Equal(ExitCodes.Success, exitCode);
    }

    [Fact]
    public async Task VerifyWithSignedToken_ServerThatValidatesTokens_SeesTheTokensDocumentsAndPassesEveryCheck()
    {
        var token = fixture.Issuer.Issue(new TokenSpec { Groups = ["board"] });

        var (exitCode, report) = await VerifyRun.JsonAsync("--url", fixture.Tokens.Client.BaseAddress!.ToString(), "--token", token, "--question", Question);

        Assert.All(VerifyRun.Outcomes(report), check => Assert.Equal("pass", check.Value));
        Assert.Equal("3 documents, 3 indexed, 0 failed", VerifyRun.Check(report, DeploymentVerifier.Documents).GetProperty("detail").GetString());
        Assert.Equal(
            "a forged x-ms-client-principal claiming groups board, hr sees no document an anonymous caller does not (1 and 1)",
            VerifyRun.Check(report, DeploymentVerifier.ForgedPrincipal).GetProperty("detail").GetString());
        Assert.Equal(ExitCodes.Success, exitCode);
    }

    [Fact]
    public async Task VerifyWithExpiredToken_ServerThatValidatesTokens_FailsSayingTheTokenWasNotAccepted()
    {
        var token = fixture.Issuer.Issue(new TokenSpec { Groups = ["board"], Lifetime = TimeSpan.FromMinutes(-10) });

        var run = await RagtuneCommand.RunAsync("verify", "--url", fixture.Tokens.Client.BaseAddress!.ToString(), "--token", token, "--question", Question);

        Assert.Matches(@"fail  documents         401 Unauthorized \(code [a-z-]+\): expected 200; .*\(the server did not accept the bearer token\)", run.Output);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
    }
}
