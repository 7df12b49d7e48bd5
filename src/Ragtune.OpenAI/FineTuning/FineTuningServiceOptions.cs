using System.ComponentModel.DataAnnotations;

namespace Ragtune.OpenAI.FineTuning;

/// <summary>
/// The fine-tuning service (section <c>Ragtune:FineTuning</c>, beside the export's and the runs' settings):
/// <c>openai-compatible</c> (the OpenAI files and fine-tuning jobs API at <see cref="Endpoint"/>, a base URL ending in
/// <c>/v1</c>, with <see cref="ApiKey"/>) or <c>azure-openai</c> (the same API on the Azure OpenAI resource at
/// <see cref="Endpoint"/>, keyless unless a key is given, and fine-tuned models deployed through Azure Resource Manager,
/// <see cref="Azure"/>). Unset: no fine-tuning.
/// </summary>
public sealed class FineTuningServiceOptions : IValidatableObject
{
    public const string SectionName = "Ragtune:FineTuning";

    public const string OpenAICompatible = "openai-compatible";
    public const string AzureOpenAI = "azure-openai";

    public string? Provider { get; set; }

    /// <summary><c>https://api.openai.com/v1</c> (openai-compatible), or the Azure OpenAI resource, <c>https://NAME.openai.azure.com</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The key; for Azure OpenAI leave it empty to use Microsoft Entra ID (the app's identity).</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one request may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries of a throttled or failed request (429, 408, 5xx, connection errors), honouring Retry-After.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>The longest Retry-After waited for within a request; a longer one ends the step, and the run goes on after that wait.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an upload may stay in processing (Azure checks a file before a job may use it).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "02:00:00")]
    public TimeSpan FileProcessingTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The deployments of fine-tuned models (azure-openai only).</summary>
    public AzureDeploymentOptions Azure { get; set; } = new();

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Provider);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured)
        {
            yield break;
        }

        if (Provider is not (OpenAICompatible or AzureOpenAI))
        {
            yield return new ValidationResult(
                $"{SectionName}:Provider is '{Provider}': set it to '{OpenAICompatible}' or '{AzureOpenAI}', or leave it empty for no fine-tuning.", [nameof(Provider)]);
            yield break;
        }

        if (Endpoint is not { IsAbsoluteUri: true })
        {
            yield return new ValidationResult($"{SectionName}:Endpoint must be an absolute URL for the '{Provider}' provider.", [nameof(Endpoint)]);
        }
        else if (Provider == OpenAICompatible && !Endpoint.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.Ordinal))
        {
            yield return new ValidationResult($"{SectionName}:Endpoint '{Endpoint}' must be the API's base URL ending in /v1 (https://api.openai.com/v1).", [nameof(Endpoint)]);
        }

        if (Provider == AzureOpenAI)
        {
            foreach (var (value, name) in new[] { (Azure.SubscriptionId, "SubscriptionId"), (Azure.ResourceGroup, "ResourceGroup"), (Azure.Account, "Account") })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    yield return new ValidationResult(
                        $"{SectionName}:Azure:{name} is required for the '{AzureOpenAI}' provider (fine-tuned models are deployed through Azure Resource Manager).", [$"Azure:{name}"]);
                }
            }

            if (Azure.Capacity < 1)
            {
                yield return new ValidationResult($"{SectionName}:Azure:Capacity must be at least 1.", ["Azure:Capacity"]);
            }
        }
    }
}

/// <summary>Where and how fine-tuned models are deployed on Azure OpenAI (section <c>Ragtune:FineTuning:Azure</c>).</summary>
public sealed class AzureDeploymentOptions
{
    /// <summary>The subscription of the Azure OpenAI resource.</summary>
    public string? SubscriptionId { get; set; }

    /// <summary>Its resource group.</summary>
    public string? ResourceGroup { get; set; }

    /// <summary>The Azure OpenAI resource's (Cognitive Services account's) name.</summary>
    public string? Account { get; set; }

    /// <summary>
    /// The deployment type of a candidate under evaluation: Developer Tier by default (no hourly hosting fee, billed per
    /// token, removed by Azure after 24 hours), made for testing a fine-tuned model before promoting it.
    /// </summary>
    public string EvaluationSku { get; set; } = "DeveloperTier";

    /// <summary>The deployment type of a promoted model (Standard, GlobalStandard): billed per hour while it exists.</summary>
    public string ServingSku { get; set; } = "Standard";

    /// <summary>Capacity of each deployment, in the SKU's units (thousands of tokens per minute for Standard), at least 1.</summary>
    public int Capacity { get; set; } = 10;

    /// <summary>Azure Resource Manager.</summary>
    public Uri ManagementEndpoint { get; set; } = new("https://management.azure.com/");

    /// <summary>The REST api-version of Microsoft.CognitiveServices/accounts/deployments.</summary>
    public string ApiVersion { get; set; } = "2024-10-01";
}
