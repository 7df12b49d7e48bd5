using Ragtune.Testing.Loopback;

namespace Ragtune.OpenAI.Tests.Chat;

/// <summary>Chat provider options pointing at a loopback server, with short limits so that failures come fast.</summary>
internal static class TestChatProviders
{
    public const string Model = "gpt-4o-mini";

    /// <summary>Azure OpenAI at the server's root, deployment <paramref name="model"/> (<see cref="Model"/> unless given); Entra ID when <paramref name="apiKey"/> is null.</summary>
    public static ChatProviderOptions AzureOpenAI(LoopbackServer server, string? apiKey = null, string model = Model) => new()
    {
        Provider = ChatProviderOptions.AzureOpenAI,
        Endpoint = server.BaseAddress,
        Model = model,
        ApiKey = apiKey,
        Timeout = TimeSpan.FromSeconds(10),
        MaxRetries = 2,
        MaxRetryDelay = TimeSpan.FromSeconds(3),
    };

    /// <summary>An OpenAI-compatible server at <c>/v1</c> (as Ollama, LM Studio and vLLM serve it).</summary>
    public static ChatProviderOptions OpenAICompatible(LoopbackServer server, string? apiKey = null, string model = Model) => new()
    {
        Provider = ChatProviderOptions.OpenAICompatible,
        Endpoint = server.Url("v1"),
        Model = model,
        ApiKey = apiKey,
        Timeout = TimeSpan.FromSeconds(10),
        MaxRetries = 2,
        MaxRetryDelay = TimeSpan.FromSeconds(3),
    };
}
