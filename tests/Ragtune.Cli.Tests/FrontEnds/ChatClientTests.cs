using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using Ragtune.Cli.Tests.Security;
using Ragtune.Core;

namespace Ragtune.Cli.Tests.FrontEnds;

/// <summary>
/// The OpenAI .NET client as Microsoft.Extensions.AI's <see cref="IChatClient"/>, with its endpoint at
/// <c>ragtune serve</c>'s <c>/api/v1</c>: what a .NET front end (or Semantic Kernel) gets, streamed and not.
/// </summary>
[Collection(FrontEndsCollection.Name)]
public sealed class ChatClientTests(AccessControlFixture fixture)
{
    private const string Question = "When does the office open?";

    [Fact]
    public async Task GetResponse_AnswersWithTheTextModelUsage_AndTheAnswerIdAsTheResponseId()
    {
        using var chat = ChatClient();

        var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, Question)]);

        Assert.Contains("eight in the morning", response.Text, StringComparison.Ordinal);
        Assert.Equal("extractive", response.ModelId);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(response.Usage?.TotalTokenCount > 0);
        Assert.True(Ulid.IsValid(response.ResponseId), response.ResponseId);
        using var rated = await fixture.Anonymous.PostAsJsonAsync("/api/feedback", new { answerId = response.ResponseId, rating = "up" });
        Assert.Equal(HttpStatusCode.Accepted, rated.StatusCode);
    }

    [Fact]
    public async Task GetStreamingResponse_StreamsTheSameAnswerUnderOneResponseId()
    {
        using var chat = ChatClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, Question)]))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.Contains("eight in the morning", response.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(Ulid.IsValid(response.ResponseId), response.ResponseId);
        Assert.All(updates, u => Assert.Equal(response.ResponseId, u.ResponseId));
    }

    [Fact]
    public async Task GetResponse_WithATool_IsTheClientsErrorWith400()
    {
        using var chat = ChatClient();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => "8:00", "opening_hour")] };

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.GetResponseAsync([new ChatMessage(ChatRole.User, Question)], options));

        Assert.Equal(400, error.Status);
        Assert.Contains("tools", error.Message, StringComparison.Ordinal);
    }

    private IChatClient ChatClient() =>
        new OpenAIClient(new ApiKeyCredential("not-a-key"), new OpenAIClientOptions { Endpoint = new Uri(fixture.Trusted.Client.BaseAddress!, "/api/v1"), NetworkTimeout = TimeSpan.FromMinutes(2) })
            .GetChatClient("anything")
            .AsIChatClient();
}
