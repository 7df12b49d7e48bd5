using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Ragtune.OpenAI;

/// <summary>Creates the <see cref="IChatClient"/> of the openai-compatible and azure-openai providers.</summary>
public static class OpenAIChatClients
{
    /// <summary>
    /// A chat client for <paramref name="options"/>: requests shaped for the model's family, bounded retries that honour
    /// Retry-After, a timeout per attempt, and transient failures translated for the hosts (429/503/504).
    /// </summary>
    public static IChatClient Create(ChatProviderOptions options, TokenCredential? credential)
    {
        var retry = new BoundedRetryPolicy(options.MaxRetries, options.MaxRetryDelay);
        var model = options.Model ?? throw new InvalidOperationException($"{ChatProviderOptions.SectionName}:Model is required.");
        var endpoint = options.Endpoint ?? throw new InvalidOperationException($"{ChatProviderOptions.SectionName}:Endpoint is required.");
        var client = options.Provider switch
        {
            ChatProviderOptions.AzureOpenAI => AzureClient(endpoint, options.ApiKey, options.Timeout, credential, retry).GetChatClient(model).AsIChatClient(),
            ChatProviderOptions.OpenAICompatible => CompatibleClient(endpoint, options, retry).GetChatClient(model).AsIChatClient(),
            _ => throw new InvalidOperationException($"'{options.Provider}' is not an OpenAI chat provider."),
        };
        return new DependencyErrorChatClient(new ModelFamilyChatClient(client, options));
    }

    /// <summary>
    /// A client of an OpenAI-compatible server. Without a key no <c>Authorization</c> header is sent at all (the SDK
    /// insists on a key, so a placeholder is given and its header removed): local servers need none, and a server
    /// that does should see a missing key rather than a made-up one.
    /// </summary>
    internal static OpenAIClient CompatibleClient(Uri endpoint, ChatProviderOptions options, BoundedRetryPolicy retry)
    {
        var clientOptions = new OpenAIClientOptions { Endpoint = endpoint, RetryPolicy = retry, NetworkTimeout = options.Timeout };
        if (string.IsNullOrEmpty(options.ApiKey))
        {
            clientOptions.AddPolicy(WithoutAuthorization.Instance, PipelinePosition.BeforeTransport);
            return new OpenAIClient(new ApiKeyCredential("no-key"), clientOptions);
        }

        return new OpenAIClient(new ApiKeyCredential(options.ApiKey), clientOptions);
    }

    /// <summary>An Azure OpenAI client: with the key when one is given, else with the process's credential (Microsoft Entra ID).</summary>
    internal static AzureOpenAIClient AzureClient(Uri endpoint, string? apiKey, TimeSpan timeout, TokenCredential? credential, BoundedRetryPolicy retry)
    {
        var clientOptions = new AzureOpenAIClientOptions { RetryPolicy = retry, NetworkTimeout = timeout };
        return string.IsNullOrEmpty(apiKey)
            ? new AzureOpenAIClient(endpoint, credential ?? throw new InvalidOperationException("Azure OpenAI without an API key needs the host's TokenCredential."), clientOptions)
            : new AzureOpenAIClient(endpoint, new ApiKeyCredential(apiKey), clientOptions);
    }

    /// <summary>Removes the <c>Authorization</c> header the SDK added for its placeholder key.</summary>
    private sealed class WithoutAuthorization : PipelinePolicy
    {
        public static WithoutAuthorization Instance { get; } = new();

        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Remove("Authorization");
            return ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
