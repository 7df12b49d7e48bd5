using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.AI;
using Ragtune.Testing.Loopback;
using Ragtune.Core;

namespace Ragtune.OpenAI.Tests.Chat;

/// <summary>
/// How both OpenAI providers fail over real HTTP: bounded retries that honour Retry-After, and every transient failure
/// translated into <see cref="DependencyUnavailableException"/> with what the hosts need (429/503/504, Retry-After).
/// </summary>
public sealed class ChatFailureTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(ChatProviderOptions.AzureOpenAI)]
    [InlineData(ChatProviderOptions.OpenAICompatible)]
    public async Task Throttled_WithRetryAfterWithinTheLimit_WaitsThatLongAndSucceeds(string provider)
    {
        _server.Enqueue(OpenAIResponses.Throttled(TimeSpan.FromSeconds(1)), OpenAIResponses.ChatCompletion("Two years.", 12, 3));

        var response = await Chat(provider).GetResponseAsync("How long?");

        Assert.Equal("Two years.", response.Text);
        var requests = _server.Requests;
        Assert.Equal(2, requests.Count);
        var gap = requests[1].ReceivedAt - requests[0].ReceivedAt;
        Assert.True(gap >= TimeSpan.FromMilliseconds(900), $"The retry came {gap.TotalMilliseconds:0} ms after the 429 that asked for 1 s.");
    }

    [Theory]
    [InlineData(ChatProviderOptions.AzureOpenAI)]
    [InlineData(ChatProviderOptions.OpenAICompatible)]
    public async Task Throttled_WithRetryAfterAboveMaxRetryDelay_FailsAtOnceWithThatRetryAfter(string provider)
    {
        _server.Enqueue(OpenAIResponses.Throttled(TimeSpan.FromSeconds(30)));
        _server.Respond(_ => OpenAIResponses.ChatCompletion("A retry that should not happen.", 12, 3));
        var started = Stopwatch.GetTimestamp();

        var exception = await Assert.ThrowsAsync<DependencyUnavailableException>(() => Chat(provider).GetResponseAsync("How long?"));

        Assert.Equal(DependencyFailure.Throttled, exception.Failure);
        Assert.Equal(TimeSpan.FromSeconds(30), exception.RetryAfter);
        Assert.Equal("chat", exception.Dependency);
        Assert.Single(_server.Requests);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(10), "It failed at once rather than waiting.");
    }

    [Theory]
    [InlineData(ChatProviderOptions.AzureOpenAI)]
    [InlineData(ChatProviderOptions.OpenAICompatible)]
    public async Task Throttled_WhileStreaming_FailsWithThatRetryAfter(string provider)
    {
        _server.Respond(_ => OpenAIResponses.Throttled(TimeSpan.FromSeconds(30)));

        var (text, exception) = await StreamUntilFailureAsync(Chat(provider));

        Assert.Equal("", text);
        Assert.Equal(DependencyFailure.Throttled, exception.Failure);
        Assert.Equal(TimeSpan.FromSeconds(30), exception.RetryAfter);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData(ChatProviderOptions.AzureOpenAI)]
    [InlineData(ChatProviderOptions.OpenAICompatible)]
    public async Task Unavailable_PastMaxRetries_FailsAsUnavailable(string provider)
    {
        _server.Respond(_ => OpenAIResponses.Unavailable(retryAfter: TimeSpan.FromMilliseconds(20)));

        var exception = await Assert.ThrowsAsync<DependencyUnavailableException>(() => Chat(provider, maxRetries: 2).GetResponseAsync("How long?"));

        Assert.Equal(DependencyFailure.Unavailable, exception.Failure);
        var requests = _server.Requests;
        Assert.Equal(3, requests.Count);

        // The service asked for 20 ms; the SDK's own back-off alone would wait 0.8 s and then 1.6 s.
        var waited = requests[^1].ReceivedAt - requests[0].ReceivedAt;
        Assert.True(waited < TimeSpan.FromSeconds(2), $"Two retries took {waited.TotalMilliseconds:0} ms although the service asked for 20 ms each.");
    }

    [Theory]
    [InlineData(ChatProviderOptions.AzureOpenAI)]
    [InlineData(ChatProviderOptions.OpenAICompatible)]
    public async Task Unavailable_ThenAnswer_Succeeds(string provider)
    {
        _server.Enqueue(OpenAIResponses.Unavailable(retryAfter: TimeSpan.FromMilliseconds(20)), OpenAIResponses.ChatCompletion("Two years.", 12, 3));

        var response = await Chat(provider).GetResponseAsync("How long?");

        Assert.Equal("Two years.", response.Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Theory]
    [InlineData(ChatProviderOptions.AzureOpenAI, false)]
    [InlineData(ChatProviderOptions.AzureOpenAI, true)]
    [InlineData(ChatProviderOptions.OpenAICompatible, false)]
    [InlineData(ChatProviderOptions.OpenAICompatible, true)]
    public async Task NoAnswerWithinTheTimeout_FailsAsTimeout(string provider, bool streaming)
    {
        _server.Respond(_ => LoopbackResponse.Hang());
        var chat = Chat(provider, maxRetries: 0, timeout: TimeSpan.FromSeconds(1));
        var started = Stopwatch.GetTimestamp();

        var exception = streaming
            ? (await StreamUntilFailureAsync(chat)).Failure
            : await Assert.ThrowsAsync<DependencyUnavailableException>(() => chat.GetResponseAsync("How long?"));

        Assert.Equal(DependencyFailure.Timeout, exception.Failure);
        Assert.Single(_server.Requests);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(20), "The 1 s timeout was not applied.");
    }

    [Theory]
    [InlineData(ChatProviderOptions.AzureOpenAI, LoopbackFault.Hang, DependencyFailure.Timeout)]
    [InlineData(ChatProviderOptions.AzureOpenAI, LoopbackFault.DropConnection, DependencyFailure.Unavailable)]
    [InlineData(ChatProviderOptions.OpenAICompatible, LoopbackFault.DropConnection, DependencyFailure.Unavailable)]
    public async Task EveryTryFailing_FailsAsTheLastTryDid(string provider, LoopbackFault fault, DependencyFailure expected)
    {
        _server.Respond(_ => new LoopbackResponse { Fault = fault });

        var exception = await Assert.ThrowsAsync<DependencyUnavailableException>(
            () => Chat(provider, maxRetries: 1, timeout: TimeSpan.FromSeconds(1)).GetResponseAsync("How long?"));

        Assert.Equal(expected, exception.Failure);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Theory]
    [InlineData(ChatProviderOptions.AzureOpenAI)]
    [InlineData(ChatProviderOptions.OpenAICompatible)]
    public async Task StreamBreakingOffMidAnswer_FailsAsUnavailableAfterTheTextSoFar(string provider)
    {
        _server.Enqueue(OpenAIResponses.PartialChatCompletionStream(["Two ", "years"]).ThenDropConnection());

        var (text, exception) = await StreamUntilFailureAsync(Chat(provider));

        Assert.Equal(DependencyFailure.Unavailable, exception.Failure);
        Assert.Equal("Two years", text);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData(ChatProviderOptions.AzureOpenAI)]
    [InlineData(ChatProviderOptions.OpenAICompatible)]
    public async Task StreamStallingMidAnswer_FailsAsTimeoutAfterTheTextSoFar(string provider)
    {
        _server.Enqueue(OpenAIResponses.PartialChatCompletionStream(["Two ", "years"]).ThenHang());

        var (text, exception) = await StreamUntilFailureAsync(Chat(provider, maxRetries: 0, timeout: TimeSpan.FromSeconds(1)));

        Assert.Equal(DependencyFailure.Timeout, exception.Failure);
        Assert.Equal("Two years", text);
    }

    [Theory]
    [InlineData(ChatProviderOptions.AzureOpenAI)]
    [InlineData(ChatProviderOptions.OpenAICompatible)]
    public async Task WrongKey_IsNotTranslatedAsTransient(string provider)
    {
        _server.Respond(_ => OpenAIResponses.Error(401, "invalid_api_key", "Incorrect API key provided."));

        var exception = await Record.ExceptionAsync(() => Chat(provider).GetResponseAsync("How long?"));

        Assert.NotNull(exception);
        Assert.IsNotType<DependencyUnavailableException>(exception);
        Assert.Single(_server.Requests);
    }

    /// <summary>Streams an answer that must fail: the text that arrived before the failure, and the failure.</summary>
    private static async Task<(string Text, DependencyUnavailableException Failure)> StreamUntilFailureAsync(IChatClient chat)
    {
        var text = new StringBuilder();
        var failure = await Assert.ThrowsAsync<DependencyUnavailableException>(async () =>
        {
            await foreach (var update in chat.GetStreamingResponseAsync("How long?"))
            {
                text.Append(update.Text);
            }
        });
        return (text.ToString(), failure);
    }

    private IChatClient Chat(string provider, int maxRetries = 2, TimeSpan? timeout = null)
    {
        var options = provider == ChatProviderOptions.AzureOpenAI
            ? TestChatProviders.AzureOpenAI(_server, apiKey: "key")
            : TestChatProviders.OpenAICompatible(_server, apiKey: "key");
        options.MaxRetries = maxRetries;
        options.Timeout = timeout ?? options.Timeout;
        return OpenAIChatClients.Create(options, new FixedTokenCredential("unused"));
    }
}
