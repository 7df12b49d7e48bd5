using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ragtune.Core.Index;
using Ragtune.Functions.Http;
using Ragtune.Http.Auth;
using Ragtune.Testing;
using Ragtune.Testing.Identity;

namespace Ragtune.Functions.Tests;

/// <summary>
/// Who may read what, on the Functions app's HTTP functions: groups only from a token the app validates itself, or from
/// <c>x-ms-client-principal</c> behind App Service Authentication; a forged header or a token the issuer did not grant
/// reads public documents only or is refused, never more.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AccessControlFunctionsTests(Azurite azurite) : IAsyncLifetime
{
    private static readonly string ForgedBoardPrincipal = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"claims":[{"typ":"groups","val":"board"},{"typ":"groups","val":"hr"}]}"""));

    private LoopbackOpenIdIssuer _issuer = null!;

    public async Task InitializeAsync() => _issuer = await LoopbackOpenIdIssuer.StartAsync();

    public async Task DisposeAsync() => await _issuer.DisposeAsync();

    [Fact]
    public async Task Documents_ForgedClientPrincipal_WithDefaultSettings_ReadsPublicDocumentsOnly()
    {
        using var app = await AppWithDocumentsAsync([]);

        var response = await DocumentsAsync(app, request => request.Headers[ClientPrincipal.HeaderName] = ForgedBoardPrincipal);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(["public.md"], Sources(response));
    }

    [Fact]
    public async Task Documents_ForgedClientPrincipal_WithTokensConfigured_ReadsPublicDocumentsOnly()
    {
        using var app = await AppWithDocumentsAsync(IssuerSettings());

        var response = await DocumentsAsync(app, request => request.Headers[ClientPrincipal.HeaderName] = ForgedBoardPrincipal);

        Assert.Equal(["public.md"], Sources(response));
    }

    [Fact]
    public async Task Documents_ValidToken_ReadsItsGroupsDocuments()
    {
        using var app = await AppWithDocumentsAsync(IssuerSettings());
        var token = _issuer.Issue(new TokenSpec { Groups = ["hr"] });

        var response = await DocumentsAsync(app, request => request.Headers.Authorization = $"Bearer {token}");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(["hr.md", "public.md"], Sources(response));
    }

    [Fact]
    public async Task Documents_ValidTokenAndForgedPrincipal_ReadsOnlyTheTokensGroups()
    {
        using var app = await AppWithDocumentsAsync(IssuerSettings());
        var token = _issuer.Issue(new TokenSpec { Groups = ["hr"] });

        var response = await DocumentsAsync(app, request =>
        {
            request.Headers.Authorization = $"Bearer {token}";
            request.Headers[ClientPrincipal.HeaderName] = ForgedBoardPrincipal;
        });

        Assert.Equal(["hr.md", "public.md"], Sources(response));
    }

    public static TheoryData<string> RefusedTokens => ["expired", "wrong audience", "wrong issuer", "foreign key", "alg none", "not a bearer"];

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Ask_TokenTheIssuerDidNotGrant_Is401WithBearerChallenge(string kind)
    {
        using var app = await AppWithDocumentsAsync(IssuerSettings());
        var board = new TokenSpec { Groups = ["board"] };
        var authorization = kind switch
        {
            "expired" => $"Bearer {_issuer.Issue(board with { Lifetime = TimeSpan.FromMinutes(-10) })}",
            "wrong audience" => $"Bearer {_issuer.Issue(board with { Audience = "api://another-app" })}",
            "wrong issuer" => $"Bearer {_issuer.Issue(board with { Issuer = "https://login.example.com/other/v2.0" })}",
            "foreign key" => $"Bearer {_issuer.IssueWithForeignKey(board)}",
            "alg none" => $"Bearer {_issuer.IssueUnsigned(board)}",
            _ => "Basic dXNlcjpwYXNz",
        };
        var request = Request("POST", """{"question": "What did the board approve?"}""");
        request.Headers.Authorization = authorization;

        var response = await RunAsync(app, request, (f, r) => f.AskAsync(r, CancellationToken.None));

        Assert.Equal(401, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal("invalid-token", response.Json.GetProperty("code").GetString());
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("board", response.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Ask_NoToken_WhenACallerMustSignIn_Is401AndHealthStillAnswers()
    {
        using var app = await AppWithDocumentsAsync([.. IssuerSettings(), new("Ragtune:Auth:RequireAuthenticatedCaller", "true")]);

        var ask = await RunAsync(app, Request("POST", """{"question": "When does the office open?"}"""), (f, r) => f.AskAsync(r, CancellationToken.None));
        var feedback = await RunAsync(app, Request("POST", """{"answerId":"01KBZ0000000000000000000AA","rating":"up"}"""), (f, r) => f.FeedbackAsync(r, CancellationToken.None));
        var documents = await DocumentsAsync(app, _ => { });
        var health = await RunAsync(app, Request("GET"), (f, r) => f.HealthAsync(r, CancellationToken.None));

        Assert.All([ask, feedback, documents], response =>
        {
            Assert.Equal(401, response.StatusCode);
            Assert.Equal("authentication-required", response.Json.GetProperty("code").GetString());
            Assert.Equal("Bearer", response.Headers.WWWAuthenticate.ToString());
        });
        Assert.Equal(200, health.StatusCode);
    }

    [Fact]
    public async Task Documents_ValidToken_WhenACallerMustSignIn_Answers()
    {
        using var app = await AppWithDocumentsAsync([.. IssuerSettings(), new("Ragtune:Auth:RequireAuthenticatedCaller", "true")]);
        var token = _issuer.Issue(new TokenSpec { Groups = null });

        var response = await DocumentsAsync(app, request => request.Headers.Authorization = $"Bearer {token}");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(["public.md"], Sources(response));
    }

    [Fact]
    public void Start_TrustedPrincipalHeaderWithoutAppServiceAuthentication_FailsNamingBothSettings()
    {
        using var app = new TestApp(azurite, settings: new Dictionary<string, string?> { ["Ragtune:Auth:TrustClientPrincipalHeader"] = "true" });

        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<AuthOptions>>().Value);

        Assert.Contains("Ragtune:Auth:TrustClientPrincipalHeader", error.Message, StringComparison.Ordinal);
        Assert.Contains("WEBSITE_AUTH_ENABLED", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_TrustedPrincipalHeaderBehindAppServiceAuthentication_Starts()
    {
        using var app = new TestApp(azurite, settings: new Dictionary<string, string?>
        {
            ["Ragtune:Auth:TrustClientPrincipalHeader"] = "true",
            ["WEBSITE_AUTH_ENABLED"] = "True",
        });

        Assert.True(app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.TrustClientPrincipalHeader);
    }

    private KeyValuePair<string, string?>[] IssuerSettings() =>
    [
        new("Ragtune:Auth:Authority", _issuer.Authority.AbsoluteUri),
        new("Ragtune:Auth:Audience", LoopbackOpenIdIssuer.DefaultAudience),
        new("Ragtune:Auth:RequireHttpsMetadata", "false"),
    ];

    private async Task<TestApp> AppWithDocumentsAsync(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var app = new TestApp(azurite, settings: new Dictionary<string, string?>(settings));
        var now = DateTimeOffset.UtcNow;
        await app.Catalog.SaveAsync(new DocumentRecord(DocumentIds.ForSource("public.md"), "public.md", "h1", DocumentStatus.Indexed, 1, now, [], null));
        await app.Catalog.SaveAsync(new DocumentRecord(DocumentIds.ForSource("hr.md"), "hr.md", "h2", DocumentStatus.Indexed, 1, now, ["hr"], null));
        await app.Catalog.SaveAsync(new DocumentRecord(DocumentIds.ForSource("board.md"), "board.md", "h3", DocumentStatus.Indexed, 1, now, ["board"], null));
        return app;
    }

    private static Task<WrittenResponse> DocumentsAsync(TestApp app, Action<HttpRequest> arrange)
    {
        var request = Request("GET");
        arrange(request);
        return RunAsync(app, request, (f, r) => f.DocumentsAsync(r, CancellationToken.None));
    }

    private static string[] Sources(WrittenResponse response) =>
        [.. response.Json.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("source").GetString()!)];

    private static Task<WrittenResponse> RunAsync(TestApp app, HttpRequest request, Func<HttpApiFunctions, HttpRequest, Task<IResult>> function) =>
        FunctionRequests.RunAsync(app, request, function);

    private static HttpRequest Request(string method, string? body = null) => FunctionRequests.Create(method, body);
}
