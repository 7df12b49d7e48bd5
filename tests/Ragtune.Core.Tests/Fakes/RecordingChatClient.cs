using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Ragtune.Core.Tests.Fakes;

/// <summary>A chat model that answers a fixed text (streamed word by word) and records every call.</summary>
internal sealed class RecordingChatClient(string answer = "New hires get 20 days [1].") : IChatClient
{
    private readonly List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> _calls = [];

    public IReadOnlyList<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls => _calls;

    public Exception? Failure { get; set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Record(messages, options);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Record(messages, options);
        var words = answer.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, (i == 0 ? "" : " ") + words[i]);
        }

        yield return new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 812, OutputTokenCount = 41 })] };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private void Record(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        _calls.Add(([.. messages], options));
    }
}
