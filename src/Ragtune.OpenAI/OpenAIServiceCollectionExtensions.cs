using Azure.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ragtune.Core;
using Ragtune.Core.Answering;
using Ragtune.Core.Embeddings;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.OpenAI.FineTuning;

namespace Ragtune.OpenAI;

/// <summary>
/// Registers the OpenAI-family clients. They register no credential: Azure OpenAI without a key signs in with the
/// process's one <see cref="TokenCredential"/>, which the host registers.
/// </summary>
public static class OpenAIServiceCollectionExtensions
{
    /// <summary>
    /// The chat model by configuration (<c>Ragtune:Chat:Provider</c>): <c>azure-openai</c>, <c>openai-compatible</c>, or a
    /// provider the host registered itself (keyed <see cref="IChatClient"/> and <see cref="ChatModelProfile"/> under its
    /// name). <paramref name="hostProvider"/> is the host's own provider, used when no provider is configured; a provider
    /// the host lacks fails at start, naming the setting.
    /// </summary>
    public static IServiceCollection AddRagtuneChat(this IServiceCollection services, string? hostProvider = null)
    {
        services.AddValidatedOptions<ChatProviderOptions>(ChatProviderOptions.SectionName);
        if (hostProvider is not null)
        {
            services.PostConfigure<ChatProviderOptions>(options => options.Provider ??= hostProvider);
        }

        services.TryAddSingleton(new HostChatProvider(hostProvider));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatProviderOptions>, ChatProviderAvailability>());
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ChatProviderOptions>>().Value;
            var configured = options.IsOpenAIProvider
                ? OpenAIChatClients.Create(options, provider.GetService<TokenCredential>())
                : provider.GetRequiredKeyedService<IChatClient>(options.Provider);

            // With tuning runs in the host (a run store and a fine-tuning service), each call asks the model active now.
            return provider.GetService<ITuningRunStore>() is not null && provider.GetService<IFineTuningService>() is { } fineTuning
                ? new ActiveModelChatClient(configured, provider.GetRequiredService<ChatModelProfile>(), provider.GetRequiredService<ActiveChatModel>(), fineTuning)
                : configured;
        });
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ChatProviderOptions>>().Value;
            return options.IsOpenAIProvider
                ? options.Profile()
                : provider.GetRequiredKeyedService<ChatModelProfile>(options.Provider);
        });
        return services;
    }

    /// <summary>
    /// The fine-tuning service of tuning runs (<c>Ragtune:FineTuning:Provider</c>, <c>Endpoint</c>, <c>ApiKey</c>,
    /// <c>Azure:*</c>): <see cref="OpenAIFineTuningService"/>, which says it is not configured when no provider is set.
    /// </summary>
    public static IServiceCollection AddRagtuneFineTuning(this IServiceCollection services)
    {
        services.AddValidatedOptions<FineTuningServiceOptions>(FineTuningServiceOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TuningOptions>, AutoTuneValidation>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFineTuningService>(provider => new OpenAIFineTuningService(
            provider.GetRequiredService<IOptions<FineTuningServiceOptions>>(), provider.GetRequiredService<TimeProvider>(), provider.GetService<TokenCredential>()));
        return services;
    }

    /// <summary>Azure OpenAI as the <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (<c>Ragtune:Embeddings</c>), and its <see cref="EmbeddingModelProfile"/>.</summary>
    public static IServiceCollection AddRagtuneAzureOpenAIEmbeddings(this IServiceCollection services)
    {
        services.AddValidatedOptions<AzureOpenAIEmbeddingOptions>(AzureOpenAIEmbeddingOptions.SectionName);
        services.TryAddSingleton(provider => AzureOpenAIEmbeddings.Profile(provider.GetRequiredService<IOptions<AzureOpenAIEmbeddingOptions>>().Value));
        services.TryAddSingleton(provider => AzureOpenAIEmbeddings.Create(
            provider.GetRequiredService<IOptions<AzureOpenAIEmbeddingOptions>>().Value, provider.GetService<TokenCredential>()));
        return services;
    }

    /// <summary>
    /// Fails at start when the configured chat provider is none of this project's and not one the host registered
    /// (<c>extractive</c> in Azure, a misspelt name anywhere).
    /// </summary>
    private sealed class ChatProviderAvailability(IServiceProviderIsService services, HostChatProvider host) : IValidateOptions<ChatProviderOptions>
    {
        public ValidateOptionsResult Validate(string? name, ChatProviderOptions options)
        {
            if (options.IsOpenAIProvider
                || (!string.IsNullOrWhiteSpace(options.Provider)
                    && services is IServiceProviderIsKeyedService keyed && keyed.IsKeyedService(typeof(IChatClient), options.Provider)))
            {
                return ValidateOptionsResult.Success;
            }

            var choices = $"'{ChatProviderOptions.OpenAICompatible}' or '{ChatProviderOptions.AzureOpenAI}'";
            choices = host.Name is null ? choices : $"'{host.Name}', {choices}";
            return ValidateOptionsResult.Fail(string.IsNullOrWhiteSpace(options.Provider)
                ? $"{ChatProviderOptions.SectionName}:Provider is required: set it to {choices}."
                : $"{ChatProviderOptions.SectionName}:Provider is '{options.Provider}', which this host does not have: set it to {choices}.");
        }
    }

    /// <summary>The host's own chat provider, used when none is configured (none in Azure).</summary>
    private sealed record HostChatProvider(string? Name);
}
