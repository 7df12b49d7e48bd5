using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ragtune.Azure;
using Ragtune.Azure.OpenAI;
using Ragtune.Embedded.Chat;

namespace Ragtune.Cli.CommandLine;

/// <summary>
/// The chat provider of the command line, by configuration (<c>Ragtune:Chat:Provider</c>): the shared registration of
/// Ragtune.Azure (any OpenAI-compatible endpoint, or Azure OpenAI), plus the extractive answerer (the default, no model)
/// that only this host has.
/// </summary>
internal static class ChatProviderServiceCollectionExtensions
{
    public static IServiceCollection AddRagtuneChatWithExtractive(this IServiceCollection services)
    {
        services.TryAddKeyedSingleton<IChatClient>(ChatProviderOptions.Extractive, (provider, _) => provider.GetRequiredService<ExtractiveChatClient>());
        services.TryAddKeyedSingleton(ChatProviderOptions.Extractive, (_, _) => ExtractiveChatClient.Profile);
        return services.AddRagtuneChat();
    }
}
