using System.ClientModel;
using Azure.AI.OpenAI;
using Azure.Core;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Ragtune.Azure.OpenAI;

/// <summary>Creates the <see cref="IChatClient"/> of the openai-compatible and azure-openai providers.</summary>
public static class OpenAIChatClients
{
    /// <summary>
    /// A chat client for <paramref name="options"/>: bounded retries that honour Retry-After, a timeout per attempt,
    /// and transient failures translated for the hosts (429/503/504).
    /// </summary>
    public static IChatClient Create(ChatProviderOptions options, TokenCredential credential)
    {
        var retry = new BoundedRetryPolicy(options.MaxRetries, options.MaxRetryDelay);
        var model = options.Model ?? throw new InvalidOperationException($"{ChatProviderOptions.SectionName}:Model is required.");
        var endpoint = options.Endpoint ?? throw new InvalidOperationException($"{ChatProviderOptions.SectionName}:Endpoint is required.");
        var client = options.Provider switch
        {
            ChatProviderOptions.AzureOpenAI => AzureClient(endpoint, options, credential, retry).GetChatClient(model).AsIChatClient(),
            ChatProviderOptions.OpenAICompatible => new OpenAIClient(
                    new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey),
                    new OpenAIClientOptions { Endpoint = endpoint, RetryPolicy = retry, NetworkTimeout = options.Timeout })
                .GetChatClient(model).AsIChatClient(),
            _ => throw new InvalidOperationException($"'{options.Provider}' is not an OpenAI chat provider."),
        };
        return new DependencyErrorChatClient(client);
    }

    internal static AzureOpenAIClient AzureClient(Uri endpoint, ChatProviderOptions options, TokenCredential credential, BoundedRetryPolicy retry)
    {
        var clientOptions = new AzureOpenAIClientOptions { RetryPolicy = retry, NetworkTimeout = options.Timeout };
        return string.IsNullOrEmpty(options.ApiKey)
            ? new AzureOpenAIClient(endpoint, credential, clientOptions)
            : new AzureOpenAIClient(endpoint, new ApiKeyCredential(options.ApiKey), clientOptions);
    }
}
