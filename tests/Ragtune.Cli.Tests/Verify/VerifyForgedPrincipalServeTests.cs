using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Tests.Security;
using Ragtune.Cli.Verification;

namespace Ragtune.Cli.Tests.Verify;

/// <summary>
/// <c>ragtune verify --token</c> against <c>ragtune serve</c> over a public and two restricted documents: the server that
/// believes <c>x-ms-client-principal</c> (as one behind no authenticating proxy must not) fails the forged-principal
/// check, naming what the forged header revealed; the default server passes it.
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
}
