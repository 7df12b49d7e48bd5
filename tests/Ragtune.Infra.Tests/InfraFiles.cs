using Ragtune.Testing;

namespace Ragtune.Infra.Tests;

/// <summary>The files of the deployment: azure.yaml at the repository root and the Bicep in infra/.</summary>
internal static class InfraFiles
{
    public static string Root { get; } = Path.Combine(SharedData.RepositoryRoot, "infra");

    public static string MainBicep => Path.Combine(Root, "main.bicep");

    public static string MainParameters => Path.Combine(Root, "main.parameters.json");

    public static string BicepConfig => Path.Combine(Root, "bicepconfig.json");

    public static string AzureYaml => Path.Combine(SharedData.RepositoryRoot, "azure.yaml");

    /// <summary>azd's own schema of azure.yaml, in the shared data beside the repository (never copied into it).</summary>
    public static string AzureYamlSchema => Path.Combine(SharedData.Root, "azd", "azure.yaml.schema.json");

    public static IEnumerable<string> BicepFiles => Directory.EnumerateFiles(Root, "*.bicep", SearchOption.AllDirectories);
}
