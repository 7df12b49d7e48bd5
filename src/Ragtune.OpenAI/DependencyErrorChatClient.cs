using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Ragtune.OpenAI;

/// <summary>A chat client whose transient failures come out as <see cref="Core.DependencyUnavailableException"/>.</summary>
internal sealed class DependencyErrorChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    private const string Dependency = "chat";

    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception exception) when (DependencyErrors.TryTranslate(exception, Dependency, cancellationToken, out var translated))
        {
            throw translated;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (Exception exception) when (DependencyErrors.TryTranslate(exception, Dependency, cancellationToken, out var translated))
            {
                throw translated;
            }

            yield return updates.Current;
        }
    }
}
