using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ragtune.Cli.Tests.Http;
using Ragtune.Cli.Tests.Security;
using Ragtune.Core;
using Ragtune.Core.Answering;

namespace Ragtune.Cli.Tests.FrontEnds;

/// <summary>
/// The AI SDK's own chat (the <c>ai</c> npm package: the <c>AbstractChat</c> that <c>useChat</c> wraps, whose transport
/// validates every chunk against the UI message chunk schema) against <c>ragtune serve</c>'s POST /api/chat: the
/// assembled assistant message's text, sources and metadata, a follow-up that carries the history, and a restricted
/// document kept from an outsider.
/// </summary>
[Collection(FrontEndsCollection.Name)]
public sealed class AISdkChatTests(AccessControlFixture fixture)
{
    private Uri Server => fixture.Trusted.Client.BaseAddress!;

    [Fact]
    public async Task Chat_QuestionThenFollowUp_AssemblesEachAnswerWithItsIdTextAndSources_AndTheIdRatesIt()
    {
        var result = await NodeClient.AISdkChatAsync(Server, ["When does the office open?", "Where do visitors sign in?"]);

        var turns = result.GetProperty("turns").EnumerateArray().ToList();
        Assert.All(turns, t => Assert.Equal("ready", t.GetProperty("status").GetString()));
        var messages = turns[^1].GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["user", "assistant", "user", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));

        var first = messages[1];
        var answerId = first.GetProperty("id").GetString()!;
        Assert.True(Ulid.IsValid(answerId), answerId);
        Assert.Equal(answerId, first.GetProperty("metadata").GetProperty("answerId").GetString());
        Assert.True(first.GetProperty("metadata").GetProperty("grounded").GetBoolean());
        Assert.Equal("extractive", first.GetProperty("metadata").GetProperty("model").GetString());
        Assert.Contains("eight in the morning", Text(first), StringComparison.Ordinal);
        Assert.Contains("[1]", Text(first), StringComparison.Ordinal);
        var source = Parts(first, "source-document").First();
        Assert.Equal(AccessControlFixture.PublicSource, source.GetProperty("title").GetString());
        Assert.Equal(AccessControlFixture.PublicSource, source.GetProperty("filename").GetString());
        Assert.Equal("text/markdown", source.GetProperty("mediaType").GetString());
        var citation = source.GetProperty("providerMetadata").GetProperty("ragtune");
        Assert.Equal(1, citation.GetProperty("ref").GetInt32());
        Assert.Equal(1, citation.GetProperty("page").GetInt32());
        Assert.Equal(source.GetProperty("sourceId").GetString(), citation.GetProperty("chunkId").GetString());

        var followUp = messages[3];
        Assert.NotEqual(answerId, followUp.GetProperty("id").GetString());
        Assert.Contains("front desk", Text(followUp), StringComparison.Ordinal);

        using var rated = await fixture.Anonymous.PostAsJsonAsync("/api/feedback", new { answerId, rating = "up" });
        Assert.Equal(HttpStatusCode.Accepted, rated.StatusCode);
    }

    [Fact]
    public async Task Chat_OffTopicQuestion_SaysTheDocumentsDoNotCoverIt_WithNoSources()
    {
        var result = await NodeClient.AISdkChatAsync(Server, ["What is the capital of France?"]);

        var answer = result.GetProperty("turns")[0].GetProperty("messages")[1];
        Assert.Equal(new AnswerOptions().NotGroundedAnswer, Text(answer));
        Assert.False(answer.GetProperty("metadata").GetProperty("grounded").GetBoolean());
        Assert.Empty(Parts(answer, "source-document"));
    }

    [Fact]
    public async Task Chat_AsAnOutsider_NeverCarriesARestrictedDocument_WhichItsGroupReads()
    {
        var question = AccessControlFixture.Questions[0];

        var outsider = await NodeClient.AISdkChatAsync(Server, [question], new Dictionary<string, string> { ["x-ms-client-principal"] = RunningServer.PrincipalHeader("sales") });
        var member = await NodeClient.AISdkChatAsync(Server, [question], new Dictionary<string, string> { ["x-ms-client-principal"] = RunningServer.PrincipalHeader("board") });

        Assert.Equal("ready", outsider.GetProperty("turns")[0].GetProperty("status").GetString());
        var answer = outsider.GetProperty("turns")[0].GetProperty("messages")[1].ToString();
        foreach (var forbidden in new[] { AccessControlFixture.BoardMarker, AccessControlFixture.BoardSource, AccessControlFixture.HrMarker, AccessControlFixture.HrSource })
        {
            Assert.DoesNotContain(forbidden, answer, StringComparison.OrdinalIgnoreCase);
        }

        Assert.True(Parts(member.GetProperty("turns")[0].GetProperty("messages")[1], "source-document").Any(s => s.GetProperty("title").GetString() == AccessControlFixture.BoardSource), member.ToString());
    }

    [Fact]
    public async Task Chat_QuestionOverTheLimit_IsTheChatsErrorWithTheProblem()
    {
        var result = await NodeClient.AISdkChatAsync(Server, [new string('q', 2001) + "?"]);

        var turn = result.GetProperty("turns")[0];
        Assert.Equal("error", turn.GetProperty("status").GetString());
        Assert.Contains("\"code\":\"invalid-request\"", turn.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("messages[0].parts", turn.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static string Text(JsonElement message) => string.Concat(Parts(message, "text").Select(p => p.GetProperty("text").GetString()));

    private static IEnumerable<JsonElement> Parts(JsonElement message, string type) =>
        message.GetProperty("parts").EnumerateArray().Where(p => p.GetProperty("type").GetString() == type);
}
