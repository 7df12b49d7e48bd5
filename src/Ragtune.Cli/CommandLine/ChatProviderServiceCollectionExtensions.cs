using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ragtune.Azure.OpenAI;
using Ragtune.Core.Answering;
using Ragtune.Embedded.Chat;

namespace Ragtune.Cli.CommandLine;

/// <summary>
/// The chat provider of the command line, by configuration (<c>Ragtune:Chat:Provider</c>): the extractive answerer
/// (the default, no model), any OpenAI-compatible endpoint, or Azure OpenAI.
/// </summary>
internal static class ChatProviderServiceCollectionExtensions
{
    public static IServiceCollection AddRagtuneChat(this IServiceCollection services)
    {
        services.AddOptions<ChatProviderOptions>().BindConfiguration(ChatProviderOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        // One credential for the process, created only if Azure OpenAI is used without a key.
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton<IChatClient>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ChatProviderOptions>>().Value;
            return options.Provider == ChatProviderOptions.Extractive
                ? provider.GetRequiredService<ExtractiveChatClient>()
                : OpenAIChatClients.Create(options, provider.GetRequiredService<TokenCredential>());
        });
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ChatProviderOptions>>().Value;
            return options.Provider == ChatProviderOptions.Extractive
                ? ExtractiveChatClient.Profile
                : ChatModelProfile.ForModel(options.Model!);
        });
        return services;
    }
}
