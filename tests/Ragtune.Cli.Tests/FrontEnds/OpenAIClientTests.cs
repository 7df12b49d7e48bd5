using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ragtune.Cli.Tests.Http;
using Ragtune.Cli.Tests.Security;
using Ragtune.Core;
using Ragtune.Core.Answering;

namespace Ragtune.Cli.Tests.FrontEnds;

/// <summary>
/// OpenAI's own JavaScript library (the <c>openai</c> npm package) with <c>baseURL</c> = <c>ragtune serve</c>'s <c>/api/v1</c>:
/// completions and streams, grounded and not, refused parameters as its <c>APIError</c>, and a restricted document kept
/// from an outsider, over the same Core operation as POST /api/ask.
/// </summary>
[Collection(FrontEndsCollection.Name)]
public sealed class OpenAIClientTests(AccessControlFixture fixture)
{
    private const string Grounded = "When does the office open?";
    private const string OffTopic = "What is the capital of France?";

    private Uri Server => fixture.Trusted.Client.BaseAddress!;

    [Fact]
    public async Task Create_GroundedQuestion_IsAChatCompletionWithTheAnswerIdCitationsAndUsage_AndTheIdRatesIt()
    {
        var result = await NodeClient.OpenAIAsync(Server, new { model = "anything", messages = new[] { new { role = "user", content = Grounded } } });

        var completion = Succeeded(result).GetProperty("completion");
        var id = completion.GetProperty("id").GetString()!;
        Assert.True(Ulid.IsValid(id), id);
        Assert.Equal("chat.completion", completion.GetProperty("object").GetString());
        Assert.Equal("extractive", completion.GetProperty("model").GetString());
        var choice = Assert.Single(completion.GetProperty("choices").EnumerateArray());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Contains("eight in the morning", choice.GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains("[1]", choice.GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.True(completion.GetProperty("usage").GetProperty("total_tokens").GetInt64() > 0);
        var ragtune = completion.GetProperty("ragtune");
        Assert.Equal(id, ragtune.GetProperty("answerId").GetString());
        Assert.True(ragtune.GetProperty("grounded").GetBoolean());
        Assert.Equal(AccessControlFixture.PublicSource, ragtune.GetProperty("citations")[0].GetProperty("source").GetString());
        Assert.Equal(1, ragtune.GetProperty("citations")[0].GetProperty("ref").GetInt32());

        using var rated = await fixture.Anonymous.PostAsJsonAsync("/api/feedback", new { answerId = id, rating = "up" });
        Assert.Equal(HttpStatusCode.Accepted, rated.StatusCode);
    }

    [Fact]
    public async Task Create_Streaming_SendsTheRoleThenTheTextThenTheFinishWithTheExtensionThenTheUsage()
    {
        var result = await NodeClient.OpenAIAsync(Server, new
        {
            model = "anything",
            stream = true,
            stream_options = new { include_usage = true },
            messages = new[] { new { role = "user", content = Grounded } },
        });

        var streamed = Succeeded(result);
        var chunks = streamed.GetProperty("chunks").EnumerateArray().ToList();
        var id = chunks[0].GetProperty("id").GetString()!;
        Assert.True(Ulid.IsValid(id), id);
        Assert.All(chunks, c => Assert.Equal(id, c.GetProperty("id").GetString()));
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Contains("eight in the morning", streamed.GetProperty("text").GetString(), StringComparison.Ordinal);

        var finish = chunks[^2];
        Assert.Equal("stop", finish.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(id, finish.GetProperty("ragtune").GetProperty("answerId").GetString());
        Assert.True(finish.GetProperty("ragtune").GetProperty("grounded").GetBoolean());
        Assert.Equal(AccessControlFixture.PublicSource, finish.GetProperty("ragtune").GetProperty("citations")[0].GetProperty("source").GetString());
        Assert.Empty(chunks[^1].GetProperty("choices").EnumerateArray());
        Assert.True(chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt64() > 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Create_OffTopicQuestion_SaysTheDocumentsDoNotCoverIt_AndIsNotGrounded(bool stream)
    {
        var result = Succeeded(await NodeClient.OpenAIAsync(Server, new { model = "anything", stream, messages = new[] { new { role = "user", content = OffTopic } } }));

        var (text, ragtune) = stream
            ? (result.GetProperty("text").GetString(), result.GetProperty("chunks").EnumerateArray().Last(c => c.TryGetProperty("ragtune", out _)).GetProperty("ragtune"))
            : (result.GetProperty("completion").GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), result.GetProperty("completion").GetProperty("ragtune"));
        Assert.Equal(new AnswerOptions().NotGroundedAnswer, text);
        Assert.False(ragtune.GetProperty("grounded").GetBoolean());
        Assert.Empty(ragtune.GetProperty("citations").EnumerateArray());
    }

    public static TheoryData<string, string, string> RefusedRequests() => new()
    {
        { "tools", "tools", """{"tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}]}""" },
        { "tool_choice", "tool_choice", """{"tool_choice":"required"}""" },
        { "n", "n", """{"n":2}""" },
        { "logprobs", "logprobs", """{"logprobs":true}""" },
        { "top_logprobs", "top_logprobs", """{"top_logprobs":3}""" },
        { "response_format", "response_format", """{"response_format":{"type":"json_object"}}""" },
        { "audio output", "audio", """{"modalities":["text","audio"],"audio":{"voice":"alloy","format":"mp3"}}""" },
        { "audio modality", "modalities", """{"modalities":["audio"]}""" },
        { "an image", "messages[0].content[1]", """{"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}""" },
        { "a tool result", "messages[1].role", """{"messages":[{"role":"user","content":"Hi"},{"role":"tool","tool_call_id":"x","content":"42"},{"role":"user","content":"And?"}]}""" },
    };

    [Theory]
    [MemberData(nameof(RefusedRequests))]
    public async Task Create_WithWhatRagtuneCannotDo_IsTheClientsApiErrorWith400NamingTheParameter(string what, string param, string extra)
    {
        var request = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>($$"""{"model":"anything","messages":[{"role":"user","content":"{{Grounded}}"}]}""")!;
        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(extra)!)
        {
            request[name] = value;
        }

        var result = await NodeClient.OpenAIAsync(Server, request);

        Assert.False(result.GetProperty("ok").GetBoolean(), $"{what}: {result}");
        Assert.True(result.GetProperty("isApiError").GetBoolean(), result.ToString());
        Assert.Equal("BadRequestError", result.GetProperty("error").GetString());
        Assert.Equal(400, result.GetProperty("status").GetInt32());
        Assert.Equal(param, result.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", result.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Create_ConversationEndingWithTheAssistant_Is400NamingMessages()
    {
        var result = await NodeClient.OpenAIAsync(Server, new { model = "anything", messages = new[] { new { role = "user", content = Grounded }, new { role = "assistant", content = "At" } } });

        Assert.Equal(400, result.GetProperty("status").GetInt32());
        Assert.Equal("messages", result.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Create_AsAnOutsider_NeverCarriesARestrictedDocument_WhichItsGroupReads(bool stream)
    {
        var question = AccessControlFixture.Questions[0];
        var request = new { model = "anything", stream, messages = new[] { new { role = "user", content = question } } };

        var outsider = Succeeded(await NodeClient.OpenAIAsync(Server, request, Caller("sales", "engineering")));
        var member = Succeeded(await NodeClient.OpenAIAsync(Server, request, Caller("board")));

        foreach (var forbidden in new[] { AccessControlFixture.BoardMarker, AccessControlFixture.BoardSource, AccessControlFixture.HrMarker, AccessControlFixture.HrSource })
        {
            Assert.DoesNotContain(forbidden, outsider.ToString(), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains(AccessControlFixture.BoardSource, member.ToString(), StringComparison.Ordinal);
        Assert.Contains("four percent", member.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListModels_IsTheModelThatAnswers()
    {
        var result = Succeeded(await NodeClient.OpenAIAsync(Server, new { }, operation: "models"));

        var model = Assert.Single(result.GetProperty("models").EnumerateArray());
        Assert.Equal("extractive", model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
    }

    private static Dictionary<string, string> Caller(params string[] groups) => new() { ["x-ms-client-principal"] = RunningServer.PrincipalHeader(groups) };

    private static JsonElement Succeeded(JsonElement result)
    {
        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        return result;
    }
}
