using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Ragtune.Core.Answering;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// The chat client answers go through: each call asks the model active now (<see cref="ActiveChatModel"/>), the
/// configured one (<paramref name="configured"/>) or a promoted fine-tuned one (through the fine-tuning service, by its
/// deployment or id), and every response and update names that model in <c>ModelId</c>, which the answer records.
/// </summary>
public sealed class ActiveModelChatClient(IChatClient configured, ChatModelProfile profile, ActiveChatModel active, IFineTuningService fineTuning)
    : DelegatingChatClient(configured)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (client, model) = await SelectAsync(cancellationToken);
        var response = await client.GetResponseAsync(messages, options, cancellationToken);
        response.ModelId = model;
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (client, model) = await SelectAsync(cancellationToken);
        await foreach (var update in client.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            update.ModelId = model;
            yield return update;
        }
    }

    /// <summary>The client of the model active now, and the name answers record for it.</summary>
    public async Task<(IChatClient Client, string Model)> SelectAsync(CancellationToken cancellationToken = default)
    {
        var current = await active.GetAsync(cancellationToken);
        return current.Model is { } model && fineTuning.IsConfigured
            ? (fineTuning.GetChatClient(model), model)
            : (InnerClient, profile.ModelId);
    }
}
