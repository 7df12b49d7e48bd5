using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Tests.CommandLine;
using Ragtune.Cli.Tests.Http;
using Ragtune.Cli.Verification;

namespace Ragtune.Cli.Tests.Verify;

/// <summary><c>ragtune verify</c> against a real <c>ragtune serve</c> over the sample documents: every check passes.</summary>
public sealed class VerifyServeTests(SamplesServerFixture fixture) : IClassFixture<SamplesServerFixture>
{
    private string Url => fixture.Client.BaseAddress!.ToString();

    [Fact]
    public async Task Verify_RagtuneServe_PrintsAPassingLinePerCheckAndExitsZero()
    {
        var run = await RagtuneCommand.RunAsync("verify", "--url", Url);

        var lines = run.Output.Split('\n').Where(line => DeploymentVerifier.CheckNames.Any(name => line.StartsWith($"pass  {name} ", StringComparison.Ordinal)));
        Assert.Equal(DeploymentVerifier.CheckNames.Where(name => name != DeploymentVerifier.ForgedPrincipal), lines.Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
        Assert.Contains("7 passed, 0 warned, 0 failed, 0 skipped", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\nfail ", run.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, run.ExitCode);
    }

    [Fact]
    public async Task VerifyJson_RagtuneServe_IsOneObjectWithEveryChecksNameOutcomeDetailStatusAndCode()
    {
        var (exitCode, report) = await VerifyRun.JsonAsync("--url", Url);

        Assert.Equal(["url", "checks", "passed"], report.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Url, report.GetProperty("url").GetString());
        Assert.True(report.GetProperty("passed").GetBoolean());
        var checks = report.GetProperty("checks").EnumerateArray().ToList();
        Assert.All(checks, check => Assert.Equal("pass", check.GetProperty("outcome").GetString()));
        Assert.All(checks, check => Assert.False(string.IsNullOrWhiteSpace(check.GetProperty("detail").GetString())));
        Assert.Equal(
            [(DeploymentVerifier.Health, 200, null), (DeploymentVerifier.Documents, 200, null), (DeploymentVerifier.Ask, 200, null), (DeploymentVerifier.AskStream, 200, null),
             (DeploymentVerifier.Rating, 202, null), (DeploymentVerifier.UnknownAnswer, 404, "not-found"), (DeploymentVerifier.MalformedBody, 400, (string?)"malformed-json")],
            checks.Select(check => (
                check.GetProperty("name").GetString()!,
                check.GetProperty("status").GetInt32(),
                check.TryGetProperty("code", out var code) ? code.GetString() : null)));
        Assert.Equal(ExitCodes.Success, exitCode);
    }

    [Fact]
    public async Task Verify_QuestionTheDocumentsDoNotAnswer_WarnsOnBothAsksAndStillExitsZero()
    {
        var (exitCode, report) = await VerifyRun.JsonAsync("--url", Url, "--question", "What is the capital of France?");

        Assert.Equal("warn", VerifyRun.Check(report, DeploymentVerifier.Ask).GetProperty("outcome").GetString());
        Assert.Equal("warn", VerifyRun.Check(report, DeploymentVerifier.AskStream).GetProperty("outcome").GetString());
        Assert.StartsWith("not grounded", VerifyRun.Check(report, DeploymentVerifier.Ask).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("pass", VerifyRun.Check(report, DeploymentVerifier.Rating).GetProperty("outcome").GetString());
        Assert.Equal(ExitCodes.Success, exitCode);
    }
}
