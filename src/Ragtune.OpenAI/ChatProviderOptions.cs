using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.AI;
using Ragtune.Core.Answering;

namespace Ragtune.OpenAI;

/// <summary>
/// Which chat model answers (section <c>Ragtune:Chat</c>): <c>openai-compatible</c> (Ollama, LM Studio, vLLM, OpenAI:
/// endpoint, model, optional key), <c>azure-openai</c> (endpoint and deployment; Microsoft Entra ID through the
/// process's credential, or a key), or a provider the host registers itself under its name (the <c>ragtune</c>
/// command's <c>extractive</c> answerer, its default).
/// </summary>
public sealed class ChatProviderOptions : IValidatableObject
{
    public const string SectionName = "Ragtune:Chat";

    public const string OpenAICompatible = "openai-compatible";
    public const string AzureOpenAI = "azure-openai";

    /// <summary>The provider's name; unset means the host's own provider, when it has one.</summary>
    public string? Provider { get; set; }

    /// <summary>The service's base address: <c>http://localhost:11434/v1</c> for Ollama, <c>https://NAME.openai.azure.com</c> for Azure OpenAI.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The model (openai-compatible) or deployment (azure-openai) name.</summary>
    public string? Model { get; set; }

    /// <summary>An API key. Optional for local servers; for Azure OpenAI, leave it empty to use Microsoft Entra ID.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one attempt may take before it is abandoned (and the ask answers 504).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries of a throttled or failed call (429, 408, 5xx, connection errors), honouring Retry-After.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>The longest Retry-After the client waits for; a longer one fails at once with that Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The model's family: <c>Standard</c> or <c>Reasoning</c> (o-series, gpt-5 family: no temperature, an output limit
    /// that counts reasoning). Unset, it is read from <see cref="Model"/>; set it when a deployment's name hides its
    /// model (an Azure deployment named <c>chat</c> serving gpt-5.4-mini).
    /// </summary>
    public ChatModelFamily? ModelFamily { get; set; }

    /// <summary>How hard a reasoning model thinks before it answers (<c>reasoning_effort</c>); unset leaves it to the model. Ignored for standard models.</summary>
    public ReasoningEffort? ReasoningEffort { get; set; } = Microsoft.Extensions.AI.ReasoningEffort.Low;

    /// <summary>
    /// Tokens a reasoning model may spend thinking, added to each request's output limit: its
    /// <c>max_completion_tokens</c> counts reasoning and answer together, so an answer's 800 tokens alone would leave it
    /// none. Ignored for standard models.
    /// </summary>
    [Range(0, 100_000)]
    public int MaxReasoningTokens { get; set; } = 4096;

    /// <summary>True for the providers of this project (<c>openai-compatible</c>, <c>azure-openai</c>).</summary>
    public bool IsOpenAIProvider => Provider is OpenAICompatible or AzureOpenAI;

    /// <summary>The profile of the configured model: its name, tokenizer and family.</summary>
    public ChatModelProfile Profile() =>
        ChatModelProfile.ForModel(Model ?? throw new InvalidOperationException($"{SectionName}:Model is required."), family: ModelFamily);

    /// <summary>Checks what the OpenAI providers need; whether another provider exists is the host's to say (<see cref="OpenAIServiceCollectionExtensions.AddRagtuneChat"/>).</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsOpenAIProvider)
        {
            yield break;
        }

        if (Endpoint is not { IsAbsoluteUri: true })
        {
            yield return new ValidationResult($"{SectionName}:Endpoint must be an absolute URL for the '{Provider}' provider.", [nameof(Endpoint)]);
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            yield return new ValidationResult($"{SectionName}:Model (the model or deployment name) is required for the '{Provider}' provider.", [nameof(Model)]);
        }
    }
}
