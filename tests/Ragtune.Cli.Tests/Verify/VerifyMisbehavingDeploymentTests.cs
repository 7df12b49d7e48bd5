using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Tests.CommandLine;
using Ragtune.Cli.Verification;

namespace Ragtune.Cli.Tests.Verify;

/// <summary>
/// <c>ragtune verify</c> against a stand-in that keeps the API's contract in all ways but one: exactly the check that
/// guards that part fails, every other passes, and the exit code is 1.
/// </summary>
public sealed class VerifyMisbehavingDeploymentTests
{
    private static readonly string[] AllChecks =
    [
        DeploymentVerifier.Health, DeploymentVerifier.Documents, DeploymentVerifier.Ask, DeploymentVerifier.AskStream, DeploymentVerifier.Rating,
        DeploymentVerifier.UnknownAnswer, DeploymentVerifier.MalformedBody, DeploymentVerifier.ForgedPrincipal,
    ];

    public static TheoryData<Misbehavior, string> Misbehaviors() => new()
    {
        { Misbehavior.HealthUnavailable, DeploymentVerifier.Health },
        { Misbehavior.AskWithoutAnswerId, DeploymentVerifier.Ask },
        { Misbehavior.AskHangs, DeploymentVerifier.Ask },
        { Misbehavior.StreamWithoutDone, DeploymentVerifier.AskStream },
        { Misbehavior.FeedbackAcceptsUnknownAnswer, DeploymentVerifier.UnknownAnswer },
        { Misbehavior.MalformedBodyAnswered500, DeploymentVerifier.MalformedBody },
        { Misbehavior.MalformedBodyAsPlainText, DeploymentVerifier.MalformedBody },
        { Misbehavior.ForgedPrincipalBelieved, DeploymentVerifier.ForgedPrincipal },
    };

    [Fact]
    public async Task Verify_DeploymentThatKeepsTheContract_PassesEveryCheckAndExitsZero()
    {
        await using var deployment = await MisbehavingDeployment.StartAsync(Misbehavior.None);

        var (exitCode, report) = await VerifyRun.JsonAsync("--url", deployment.Url.ToString(), "--key", "k", "--token", VerifyRun.BoardToken);

        Assert.Equal(AllChecks.Select(name => new KeyValuePair<string, string>(name, "pass")), VerifyRun.Outcomes(report));
        Assert.True(report.GetProperty("passed").GetBoolean());
        Assert.Equal(ExitCodes.Success, exitCode);
    }

    [Theory]
    [MemberData(nameof(Misbehaviors))]
    public async Task Verify_OneBrokenPartOfTheContract_FailsExactlyItsCheckAndExitsOne(Misbehavior misbehavior, string failingCheck)
    {
        await using var deployment = await MisbehavingDeployment.StartAsync(misbehavior);

        var (exitCode, report) = await VerifyRun.JsonAsync("--url", deployment.Url.ToString(), "--key", "k", "--token", VerifyRun.BoardToken, "--timeout", "5");

        Assert.Equal(AllChecks.Select(name => new KeyValuePair<string, string>(name, name == failingCheck ? "fail" : "pass")), VerifyRun.Outcomes(report));
        Assert.False(report.GetProperty("passed").GetBoolean());
        Assert.Equal(ExitCodes.Failure, exitCode);
    }

    [Theory]
    [InlineData(Misbehavior.HealthUnavailable, "fail  health            503 Service Unavailable: unhealthy: index")]
    [InlineData(Misbehavior.AskWithoutAnswerId, "fail  ask               200 OK: the answer has no answerId")]
    [InlineData(Misbehavior.AskHangs, "fail  ask               no response within 5 s")]
    [InlineData(Misbehavior.StreamWithoutDone, "fail  ask-stream        200 OK: the stream did not end with one done event (events: citations, delta x2)")]
    [InlineData(Misbehavior.FeedbackAcceptsUnknownAnswer, "fail  unknown-answer    202 Accepted: expected 404 for an answer id that was never given")]
    [InlineData(Misbehavior.MalformedBodyAnswered500, "fail  malformed-body    500 Internal Server Error (code internal-error): expected 400 Problem Details for a body that is not JSON")]
    [InlineData(Misbehavior.MalformedBodyAsPlainText, "fail  malformed-body    400 Bad Request: the error is text/plain, not application/problem+json")]
    [InlineData(Misbehavior.ForgedPrincipalBelieved, "fail  forged-principal  200 OK: a forged x-ms-client-principal claiming group board sees 1 document an anonymous caller does not: board-minutes.md")]
    public async Task Verify_OneBrokenPartOfTheContract_SaysWhatWasWrongOnTheChecksLine(Misbehavior misbehavior, string line)
    {
        await using var deployment = await MisbehavingDeployment.StartAsync(misbehavior);

        var run = await RagtuneCommand.RunAsync("verify", "--url", deployment.Url.ToString(), "--token", VerifyRun.BoardToken, "--timeout", "5");

        Assert.Contains(line, run.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
    }

    [Fact]
    public async Task Verify_SendsTheKeyEverywhereAndTheTokenEverywhereButOnTheAnonymousAndForgedCalls()
    {
        await using var deployment = await MisbehavingDeployment.StartAsync(Misbehavior.None);

        var run = await RagtuneCommand.RunAsync("verify", "--url", deployment.Url.ToString(), "--key", "the-key", "--token", VerifyRun.BoardToken);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var calls = deployment.Calls;
        Assert.All(calls, call => Assert.Equal("the-key", call.Headers.GetValueOrDefault("x-functions-key")));
        var withoutToken = calls.Where(call => !call.Headers.ContainsKey("Authorization")).ToList();
        Assert.All(calls.Except(withoutToken), call => Assert.Equal($"Bearer {VerifyRun.BoardToken}", call.Headers["Authorization"]));
        Assert.Equal([("GET", "/api/documents", false), ("GET", "/api/documents", true)], withoutToken.Select(call => (call.Method, call.Path, call.Headers.ContainsKey("x-ms-client-principal"))));
        Assert.Single(calls, call => call.Headers.ContainsKey("x-ms-client-principal"));
    }

    [Fact]
    public async Task Verify_WithoutToken_RunsNoForgedPrincipalCheckAndSendsNoAuthorization()
    {
        await using var deployment = await MisbehavingDeployment.StartAsync(Misbehavior.ForgedPrincipalBelieved);

        var (exitCode, report) = await VerifyRun.JsonAsync("--url", deployment.Url.ToString());

        Assert.DoesNotContain(VerifyRun.Outcomes(report), check => check.Key == DeploymentVerifier.ForgedPrincipal);
        Assert.All(VerifyRun.Outcomes(report), check => Assert.Equal("pass", check.Value));
        Assert.DoesNotContain(deployment.Calls, call => call.Headers.ContainsKey("Authorization") || call.Headers.ContainsKey("x-functions-key"));
        Assert.Equal(ExitCodes.Success, exitCode);
    }

    [Fact]
    public async Task VerifyWithToken_ServerThatWantsATokenForEveryCall_PassesTheForgedPrincipalCheckOnTwoRefusals()
    {
        await using var deployment = await MisbehavingDeployment.StartAsync(Misbehavior.None, new Credentials(Token: VerifyRun.BoardToken));

        var (exitCode, report) = await VerifyRun.JsonAsync("--url", deployment.Url.ToString(), "--token", VerifyRun.BoardToken);

        Assert.All(VerifyRun.Outcomes(report), check => Assert.Equal("pass", check.Value));
        var forged = VerifyRun.Check(report, DeploymentVerifier.ForgedPrincipal);
        Assert.Equal(401, forged.GetProperty("status").GetInt32());
        Assert.Contains("is refused as an anonymous caller is (401)", forged.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, exitCode);
    }

    [Theory]
    [InlineData(null, "fail  documents         401 Unauthorized (code unauthorized): expected 200; the server said: Send a valid bearer token. (the server asks for a bearer token: pass --token)")]
    [InlineData("wrong", "fail  documents         401 Unauthorized (code unauthorized): expected 200; the server said: Send a valid bearer token. (the server did not accept the bearer token)")]
    public async Task Verify_ServerThatWantsAToken_SaysWhetherToPassOneOrThatItWasRefused(string? token, string line)
    {
        await using var deployment = await MisbehavingDeployment.StartAsync(Misbehavior.None, new Credentials(Token: VerifyRun.BoardToken));

        var run = await RagtuneCommand.RunAsync(["verify", "--url", deployment.Url.ToString(), .. token is null ? Array.Empty<string>() : ["--token", token]]);

        Assert.Contains(line, run.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
    }

    [Theory]
    [InlineData(null, "fail  documents         401 Unauthorized: expected 200 (the server asks for credentials: pass --key with a function key)")]
    [InlineData("wrong", "fail  documents         401 Unauthorized: expected 200 (the server did not accept the function key)")]
    public async Task Verify_ServerThatWantsAFunctionKey_SaysWhetherToPassOneOrThatItWasRefused(string? key, string line)
    {
        await using var deployment = await MisbehavingDeployment.StartAsync(Misbehavior.None, new Credentials(Key: "the-key"));

        var run = await RagtuneCommand.RunAsync(["verify", "--url", deployment.Url.ToString(), .. key is null ? Array.Empty<string>() : ["--key", key]]);

        Assert.Contains(line, run.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
    }

    [Fact]
    public async Task Verify_UrlWithApiAtTheEnd_SaysToGiveTheBaseUrl()
    {
        await using var deployment = await MisbehavingDeployment.StartAsync(Misbehavior.None);

        var run = await RagtuneCommand.RunAsync("verify", "--url", new Uri(deployment.Url, "api").ToString());

        Assert.Contains("fail  health            404 Not Found (code not-found): no health endpoint at", run.Output, StringComparison.Ordinal);
        Assert.Contains("give the deployment's base URL, without /api", run.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
    }

    [Fact]
    public async Task Verify_UnreachableUrl_SaysSoOnOneLineRunsNothingElseAndExitsOne()
    {
        Uri url;
        await using (var stopped = await MisbehavingDeployment.StartAsync(Misbehavior.None))
        {
            url = stopped.Url;
        }

        var run = await RagtuneCommand.RunAsync("verify", "--url", url.ToString());

        Assert.Contains($"fail  health            cannot reach {url}: Connection refused", run.Output, StringComparison.Ordinal);
        Assert.Contains("no other check was run", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(DeploymentVerifier.Documents, run.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
    }

    [Fact]
    public async Task Verify_HealthThatNeverAnswers_StopsAfterTheTimeoutWithOneLineAndExitsOne()
    {
        await using var deployment = await MisbehavingDeployment.StartAsync(Misbehavior.HealthHangs);

        var run = await RagtuneCommand.RunAsync("verify", "--url", deployment.Url.ToString(), "--timeout", "1");

        Assert.Contains("fail  health            no response within 1 s; no other check was run", run.Output, StringComparison.Ordinal);
        Assert.Equal(["/api/health"], deployment.Calls.Select(call => call.Path));
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
    }

    [Theory]
    [InlineData("--url", "not-a-url")]
    [InlineData("--url", "ftp://example.com")]
    [InlineData("--url", "http://127.0.0.1:7071", "--timeout", "0")]
    [InlineData("--key", "k")]
    public async Task Verify_WrongCommandLine_ExitsTwo(params string[] args)
    {
        var run = await RagtuneCommand.RunAsync(["verify", .. args]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }
}
