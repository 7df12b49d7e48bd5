using Azure.AI.OpenAI.Chat;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using Ragtune.Core.Answering;

namespace Ragtune.OpenAI;

/// <summary>
/// Shapes every request for the model's family (<see cref="ChatProviderOptions.ModelFamily"/>, else its name), so that
/// Core's requests are valid for either:
/// <list type="bullet">
/// <item>A reasoning model (o-series, gpt-5 family) rejects <c>temperature</c>, <c>top_p</c> and the penalties, so they
/// are left out; its <c>max_completion_tokens</c> counts reasoning and answer together, so
/// <see cref="ChatProviderOptions.MaxReasoningTokens"/> is added to the answer's limit; it is asked for
/// <see cref="ChatProviderOptions.ReasoningEffort"/>.</item>
/// <item>A standard model on Azure OpenAI gets its limit as <c>max_tokens</c>: the REST reference of the api-version
/// Azure.AI.OpenAI sends (2025-04-01-preview) takes <c>max_completion_tokens</c> from o1-series (reasoning) models only.
/// Elsewhere (OpenAI and compatible servers) the limit stays <c>max_completion_tokens</c>, OpenAI's current name.</item>
/// </list>
/// </summary>
internal sealed class ModelFamilyChatClient(IChatClient inner, ChatProviderOptions options) : DelegatingChatClient(inner)
{
    private readonly ChatModelProfile _model = options.Profile();
    private readonly bool _standardTakesMaxTokens = options.Provider == ChatProviderOptions.AzureOpenAI;

    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Shape(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, Shape(options), cancellationToken);

    /// <summary>The request's options as this model takes them (a copy: the caller's are left as they were).</summary>
    internal ChatOptions? Shape(ChatOptions? requested)
    {
        if (!_model.IsReasoning && !(_standardTakesMaxTokens && requested?.MaxOutputTokens is not null))
        {
            return requested;
        }

        var shaped = requested?.Clone() ?? new ChatOptions();
        if (_model.IsReasoning)
        {
            shaped.Temperature = null;
            shaped.TopP = null;
            shaped.TopK = null;
            shaped.FrequencyPenalty = null;
            shaped.PresencePenalty = null;
            shaped.MaxOutputTokens += options.MaxReasoningTokens;
            if (shaped.Reasoning is null && options.ReasoningEffort is { } effort)
            {
                shaped.Reasoning = new ReasoningOptions { Effort = effort };
            }

            return shaped;
        }

        var limit = shaped.MaxOutputTokens;
        var factory = shaped.RawRepresentationFactory;
        shaped.RawRepresentationFactory = client =>
        {
            var raw = factory?.Invoke(client) as ChatCompletionOptions ?? new ChatCompletionOptions();
            raw.MaxOutputTokenCount = limit;
#pragma warning disable AOAI001 // Azure.AI.OpenAI's own switch between max_tokens and max_completion_tokens, experimental in name only.
            raw.SetNewMaxCompletionTokensPropertyEnabled(false);
#pragma warning restore AOAI001
            return raw;
        };
        return shaped;
    }
}
