using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Core.FineTuning;
using Ragtune.Testing.Identity;

namespace Ragtune.Cli.Tests.Security;

/// <summary>
/// Every path that can carry document text or names (ask as JSON, ask as a stream, citations, GET /api/documents,
/// feedback, export) holds to the caller's groups. The whole response is searched for the restricted documents'
/// marker words and file names, so a leak anywhere in it (answer, citation text, source, error) fails the test.
/// </summary>
public sealed class AccessControlTests(AccessControlFixture fixture) : IClassFixture<AccessControlFixture>
{
    private static readonly string[] Callers =
    [
        "anonymous", "outsider", "forged board member", "hr member", "board member",
        "token outsider", "token hr member", "token board member", "forged principal at token server",
    ];

    public static TheoryData<string> AllCallers() => [.. Callers];

    public static TheoryData<string, string> CallersAndModes()
    {
        var data = new TheoryData<string, string>();
        foreach (var caller in Callers)
        {
            foreach (var mode in new[] { "vector", "keyword", "hybrid" })
            {
                data.Add(caller, mode);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CallersAndModes))]
    public async Task Ask_Json_NeverCarriesTextOrNamesOfDocumentsOutsideTheCallersGroups(string caller, string mode)
    {
        var (client, forbidden, allowed) = Caller(caller);
        var bodies = new List<string>();
        foreach (var question in AccessControlFixture.Questions)
        {
            using var response = await client.PostAsJsonAsync("/api/ask", new { question, mode, top = 50, minSimilarity = 0.0 });
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            bodies.Add(body);
        }

        AssertNone(bodies, forbidden);
        AssertSeen(bodies, allowed);
    }

    [Theory]
    [MemberData(nameof(CallersAndModes))]
    public async Task Ask_EventStream_NeverCarriesTextOrNamesOfDocumentsOutsideTheCallersGroups(string caller, string mode)
    {
        var (client, forbidden, allowed) = Caller(caller);
        var streams = new List<string>();
        foreach (var question in AccessControlFixture.Questions)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = JsonContent.Create(new { question, mode, top = 50, minSimilarity = 0.0 }) };
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await client.SendAsync(message);
            var stream = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, stream);
            Assert.Contains("event: done", stream, StringComparison.Ordinal);
            streams.Add(stream);
        }

        AssertNone(streams, forbidden);
        AssertSeen(streams, allowed);
    }

    [Theory]
    [MemberData(nameof(AllCallers))]
    public async Task Documents_ListsOnlyTheDocumentsTheCallerMayRead(string caller)
    {
        var (client, forbidden, allowed) = Caller(caller);

        var body = await client.GetStringAsync(new Uri("/api/documents", UriKind.Relative));

        AssertNone([body], forbidden);
        AssertSeen([body], allowed.Where(a => a.EndsWith(".md", StringComparison.Ordinal)));
        Assert.Contains(AccessControlFixture.PublicSource, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_OnAnAnswerOfAnotherGroup_IsAnUnknownAnswer_AndTheAskersGroupMayRateIt()
    {
        var answerId = await AskAsync(fixture.BoardMember, AccessControlFixture.Questions[0]);

        foreach (var other in new[] { fixture.Anonymous, fixture.Outsider, fixture.HrMember })
        {
            using var refused = await other.PostAsJsonAsync("/api/feedback", new { answerId, rating = "down", correction = "Poisoned training data." });
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        using var accepted = await fixture.BoardMember.PostAsJsonAsync("/api/feedback", new { answerId, rating = "up" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task Feedback_OnAPublicAnswer_AnyCallerMayRateIt()
    {
        var answerId = await AskAsync(fixture.Anonymous, AccessControlFixture.Questions[2]);

        using var response = await fixture.Outsider.PostAsJsonAsync("/api/feedback", new { answerId, rating = "up" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Export_LeavesOutAnswersDrawnFromRestrictedDocuments_AndKeepsPublicOnes()
    {
        var restricted = await AskAsync(fixture.BoardMember, AccessControlFixture.Questions[0]);
        var open = await AskAsync(fixture.Anonymous, AccessControlFixture.Questions[2]);
        foreach (var (client, answerId) in new[] { (fixture.BoardMember, restricted), (fixture.Anonymous, open) })
        {
            using var rated = await client.PostAsJsonAsync("/api/feedback", new { answerId, rating = "up" });
            Assert.Equal(HttpStatusCode.Accepted, rated.StatusCode);
        }

        var export = await fixture.Trusted.Services.GetRequiredService<DatasetExporter>().ExportAsync();

        Assert.Equal(DatasetExportOutcome.Exported, export.Outcome);
        var files = Directory.GetFiles(export.Location!).ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        var training = string.Concat(files.Where(f => f.Key.StartsWith("sft", StringComparison.Ordinal) || f.Key.StartsWith("dpo", StringComparison.Ordinal)).Select(f => f.Value));
        Assert.Contains("eight in the morning", training, StringComparison.Ordinal);
        AssertNone([training], [AccessControlFixture.BoardMarker, AccessControlFixture.HrMarker, AccessControlFixture.BoardSource, AccessControlFixture.HrSource]);
        var excluded = files["excluded.jsonl"].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(excluded, e => e.GetProperty("answerId").GetString() == restricted && e.GetProperty("reason").GetString() == ExclusionReasons.RestrictedContext);
        Assert.DoesNotContain(excluded, e => e.GetProperty("answerId").GetString() == open && e.GetProperty("reason").GetString() == ExclusionReasons.RestrictedContext);
    }

    public static TheoryData<string> RefusedTokens => ["expired", "wrong audience", "wrong issuer", "foreign key", "alg none", "hmac with the public key"];

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task EveryEndpoint_TokenTheIssuerDidNotGrant_Is401AndShowsNothing(string kind)
    {
        var board = new TokenSpec { Groups = ["board", "hr"] };
        var token = kind switch
        {
            "expired" => fixture.Issuer.Issue(board with { Lifetime = TimeSpan.FromMinutes(-10) }),
            "wrong audience" => fixture.Issuer.Issue(board with { Audience = "api://another-app" }),
            "wrong issuer" => fixture.Issuer.Issue(board with { Issuer = "https://login.example.com/other/v2.0" }),
            "foreign key" => fixture.Issuer.IssueWithForeignKey(board),
            "alg none" => fixture.Issuer.IssueUnsigned(board),
            _ => fixture.Issuer.IssueWithSymmetricConfusion(board),
        };
        using var client = fixture.Tokens.CreateClientWithToken(token);

        using var ask = await client.PostAsJsonAsync("/api/ask", new { question = AccessControlFixture.Questions[0], top = 50, minSimilarity = 0.0 });
        using var documents = await client.GetAsync(new Uri("/api/documents", UriKind.Relative));
        using var feedback = await client.PostAsJsonAsync("/api/feedback", new { answerId = "01KBZ0000000000000000000AA", rating = "up" });
        using var datasets = await client.GetAsync(new Uri("/api/datasets", UriKind.Relative));

        foreach (var response in new[] { ask, documents, feedback, datasets })
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            AssertNone([body], [AccessControlFixture.BoardMarker, AccessControlFixture.HrMarker, AccessControlFixture.BoardSource, AccessControlFixture.HrSource]);
        }
    }

    [Fact]
    public async Task Health_IsAnsweredWhateverTheToken()
    {
        using var client = fixture.Tokens.CreateClientWithToken(fixture.Issuer.IssueUnsigned());

        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string> AskAsync(HttpClient client, string question)
    {
        using var response = await client.PostAsJsonAsync("/api/ask", new { question });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("answerId").GetString()!;
    }

    /// <summary>The client of a caller, the marker words and names it must never see, and those it must see.</summary>
    private (HttpClient Client, string[] Forbidden, string[] Allowed) Caller(string name)
    {
        string[] board = [AccessControlFixture.BoardMarker, AccessControlFixture.BoardSource];
        string[] hr = [AccessControlFixture.HrMarker, AccessControlFixture.HrSource];
        return name switch
        {
            "anonymous" => (fixture.Anonymous, [.. board, .. hr], []),
            "outsider" => (fixture.Outsider, [.. board, .. hr], []),
            "forged board member" => (fixture.ForgedBoardMember, [.. board, .. hr], []),
            "hr member" => (fixture.HrMember, board, hr),
            "board member" => (fixture.BoardMember, [], [.. board, .. hr]),
            "token outsider" => (fixture.TokenOutsider, [.. board, .. hr], []),
            "token hr member" => (fixture.TokenHrMember, board, hr),
            "token board member" => (fixture.TokenBoardMember, [], [.. board, .. hr]),
            "forged principal at token server" => (fixture.ForgedPrincipalAtTokenServer, [.. board, .. hr], []),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown caller."),
        };
    }

    private static void AssertNone(IEnumerable<string> bodies, IEnumerable<string> forbidden)
    {
        foreach (var body in bodies)
        {
            foreach (var word in forbidden)
            {
                Assert.False(body.Contains(word, StringComparison.OrdinalIgnoreCase), $"'{word}' leaked into: {body}");
            }
        }
    }

    private static void AssertSeen(IReadOnlyCollection<string> bodies, IEnumerable<string> allowed)
    {
        foreach (var word in allowed)
        {
            Assert.True(bodies.Any(b => b.Contains(word, StringComparison.Ordinal)), $"'{word}' was never returned to a caller allowed to read it");
        }
    }
}
