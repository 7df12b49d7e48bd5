using System.Net;
using System.Net.Http.Json;
using Ragtune.Cli.CommandLine;
using Ragtune.Cli.Tests.CommandLine;
using Ragtune.Cli.Tests.Http;
using Ragtune.Cli.Tests.Verify;
using Ragtune.Cli.Verification;
using Ragtune.Testing;
using Ragtune.Testing.Identity;

namespace Ragtune.Cli.Tests.Security;

/// <summary>
/// <c>ragtune serve</c> with <c>Ragtune:Auth:RequireAuthenticatedCaller</c>: every API call but health needs a valid
/// token of the configured issuer, the serve-only dataset endpoints included.
/// </summary>
public sealed class RequiredSignInTests : IAsyncLifetime
{
    private readonly TempDirectory _documents = new();
    private readonly TempDirectory _data = new();
    private LoopbackOpenIdIssuer _issuer = null!;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _documents.WriteFile("office-hours.md", "# Office hours\n\nThe office opens at eight in the morning on weekdays.\n");
        _issuer = await LoopbackOpenIdIssuer.StartAsync();
        _server = await RunningServer.StartAsync(_documents.Path, _data.Path, [.. _issuer.Settings(), "--Ragtune:Auth:RequireAuthenticatedCaller=true", "--Ragtune:FineTuning:Schedule="]);
        await _server.FirstSynchronization;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _issuer.DisposeAsync();
        _documents.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task EveryApiCallButHealth_WithoutAToken_Is401WithBearerChallenge()
    {
        var client = _server.Client;

        using var ask = await client.PostAsJsonAsync("/api/ask", new { question = "When does the office open?" });
        using var feedback = await client.PostAsJsonAsync("/api/feedback", new { answerId = "01KBZ0000000000000000000AA", rating = "up" });
        using var documents = await client.GetAsync(new Uri("/api/documents", UriKind.Relative));
        using var datasets = await client.GetAsync(new Uri("/api/datasets", UriKind.Relative));
        using var export = await client.PostAsJsonAsync("/api/datasets/export", new { });
        using var manifest = await client.GetAsync(new Uri("/api/datasets/latest/manifest.json", UriKind.Relative));
        using var health = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        foreach (var response in new[] { ask, feedback, documents, datasets, export, manifest })
        {
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode}");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task ApiCalls_WithAValidToken_AreAnswered()
    {
        using var client = _server.CreateClientWithToken(_issuer.Issue(new TokenSpec { Groups = null }));

        using var ask = await client.PostAsJsonAsync("/api/ask", new { question = "When does the office open?" });
        using var documents = await client.GetAsync(new Uri("/api/documents", UriKind.Relative));
        using var datasets = await client.GetAsync(new Uri("/api/datasets", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        Assert.Contains("eight in the morning", await ask.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, documents.StatusCode);
        Assert.Equal(HttpStatusCode.OK, datasets.StatusCode);
    }

    [Fact]
    public async Task ApiCalls_AfterTheIssuerRotatedItsKey_AcceptTheNewKeysTokens()
    {
        using var before = _server.CreateClientWithToken(_issuer.Issue());
        using var first = await before.GetAsync(new Uri("/api/documents", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        _issuer.RotateKey();
        using var after = _server.CreateClientWithToken(_issuer.Issue());
        using var rotated = await after.GetAsync(new Uri("/api/documents", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
    }

    [Fact]
    public async Task Verify_WithAToken_PassesEveryCheckTheForgedPrincipalOneOnTwoRefusals()
    {
        var token = _issuer.Issue(new TokenSpec { Groups = ["board"] });

        var (exitCode, report) = await VerifyRun.JsonAsync("--url", _server.Client.BaseAddress!.ToString(), "--token", token, "--question", "When does the office open?");

        Assert.Equal(DeploymentVerifier.CheckNames.Select(name => new KeyValuePair<string, string>(name, "pass")), VerifyRun.Outcomes(report));
        Assert.StartsWith(
            "a forged x-ms-client-principal claiming group board is refused as an anonymous caller is (401)",
            VerifyRun.Check(report, DeploymentVerifier.ForgedPrincipal).GetProperty("detail").GetString(),
            StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, exitCode);
    }

    [Fact]
    public async Task Verify_WithoutAToken_FailsSayingToPassOne()
    {
        var run = await RagtuneCommand.RunAsync("verify", "--url", _server.Client.BaseAddress!.ToString(), "--question", "When does the office open?");

        Assert.Contains("pass  health ", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"fail  documents         401 Unauthorized \(code [a-z-]+\): expected 200; .*\(the server asks for a bearer token: pass --token\)", run.Output);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
    }
}
