using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Ragtune.Infra.Tests;

/// <summary>azure.yaml: valid for azd, one function service deployed to the tagged app, and the postdeploy hook.</summary>
public sealed partial class AzureYamlTests
{
    private static readonly JsonNode AzureYaml = YamlDocument.Load(InfraFiles.AzureYaml)
        ?? throw new InvalidOperationException("azure.yaml is empty.");

    [Fact]
    public void AzureYaml_IsValidAgainstAzdsSchema()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(InfraFiles.AzureYamlSchema));

        var result = schema.Evaluate(JsonSerializer.SerializeToElement(AzureYaml), new EvaluationOptions { OutputFormat = OutputFormat.List });

        var errors = (result.Details ?? []).Where(detail => detail.Errors is not null)
            .SelectMany(detail => detail.Errors!.Select(error => $"{detail.InstanceLocation}: {error.Value}"));
        Assert.True(result.IsValid, string.Join('\n', errors));
    }

    [Fact]
    public void Service_IsTheDotnetFunctionApp_TaggedWithItsName()
    {
        var services = AzureYaml["services"]?.AsObject() ?? [];

        var (name, service) = Assert.Single(services);
        Assert.Equal("function", (string?)service?["host"]);
        Assert.Equal("dotnet", (string?)service?["language"]);
        Assert.Equal("./src/Ragtune.Functions", (string?)service?["project"]);
        Assert.Equal(name, MainTemplate.Evaluate((string)MainTemplate.ModuleParameter(AppSettings.FunctionAppModule, "serviceName")!));
        Assert.Contains("'azd-service-name', parameters('serviceName')", (string?)MainTemplate.Single("Microsoft.Web/sites")["tags"], StringComparison.Ordinal);
    }

    [Fact]
    public void Infra_IsMainBicepWithItsParameters()
    {
        Assert.Equal("bicep", (string?)AzureYaml["infra"]?["provider"]);
        Assert.Equal("infra", (string?)AzureYaml["infra"]?["path"]);
        Assert.Equal("main", (string?)AzureYaml["infra"]?["module"]);
        Assert.EndsWith("/subscriptionDeploymentTemplate.json#", (string?)MainTemplate.Json["$schema"]);
    }

    [Theory]
    [InlineData("environmentName", "${AZURE_ENV_NAME}")]
    [InlineData("location", "${AZURE_LOCATION}")]
    [InlineData("principalId", "${AZURE_PRINCIPAL_ID}")]
    [InlineData("corsAllowedOrigins", "${RAGTUNE_CORS_ORIGINS}")]

    // azd (1.17.1 and later) sets the signed-in principal's type, ServicePrincipal in a pipeline; older azd sets none.
    [InlineData("principalType", "${AZURE_PRINCIPAL_TYPE=User}")]
    [InlineData("auth", "${RAGTUNE_AUTH}")]
    [InlineData("authClientId", "${RAGTUNE_AUTH_CLIENT_ID}")]
    [InlineData("authTenantId", "${RAGTUNE_AUTH_TENANT_ID}")]
    public void Parameters_ComeFromTheAzdEnvironment(string parameter, string value)
    {
        var parameters = JsonNode.Parse(File.ReadAllText(InfraFiles.MainParameters))?["parameters"]?.AsObject() ?? [];

        Assert.Equal(value, (string?)parameters[parameter]?["value"]);
        Assert.All(parameters, pair => Assert.NotNull(MainTemplate.Json["parameters"]?[pair.Key]));
    }

    [Theory]
    [InlineData("postdeploy", "posix", "sh", "infra/hooks/postdeploy.sh")]
    [InlineData("postdeploy", "windows", "pwsh", "infra/hooks/postdeploy.ps1")]
    [InlineData("preprovision", "posix", "sh", "infra/hooks/preprovision.sh")]
    [InlineData("preprovision", "windows", "pwsh", "infra/hooks/preprovision.ps1")]
    public void Hook_RunsAScriptOfTheRepository(string name, string platform, string shell, string script)
    {
        var hook = AzureYaml["hooks"]?[name]?[platform];

        Assert.Equal(shell, (string?)hook?["shell"]);
        Assert.Equal($"./{script}", (string?)hook?["run"]);
        Assert.False(hook?["continueOnError"]?.GetValue<bool>());
        Assert.True(File.Exists(Path.Combine(Ragtune.Testing.SharedData.RepositoryRoot, script)), script);
    }

    [Theory]
    [InlineData("postdeploy.sh")]
    [InlineData("preprovision.sh")]
    [InlineData("az.sh")]
    public void PosixHook_IsValidShell(string script)
    {
        using var check = Process.Start(new ProcessStartInfo("sh", ["-n", HookPath(script)]) { RedirectStandardError = true })!;
        var errors = check.StandardError.ReadToEnd();
        check.WaitForExit();

        Assert.True(check.ExitCode == 0, errors);
    }

    [Theory]
    [InlineData("postdeploy.sh")]
    [InlineData("postdeploy.ps1")]
    public void Hook_SubscribesTheBlobTriggerToBlobsCreatedInTheDocumentsContainer(string script)
    {
        var text = File.ReadAllText(HookPath(script));

        Assert.Contains("--query \"systemKeys.blobs_extension\"", text.Replace('\'', '"'), StringComparison.Ordinal);
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.", text, StringComparison.Ordinal);
        // postdeploy.ps1 calls az through Invoke-Az (az.ps1), which reads az's exit code and error output.
        Assert.Matches(@"\b(az|Invoke-Az) eventgrid system-topic event-subscription create\b", text);
        Assert.Contains("--included-event-types Microsoft.Storage.BlobCreated", text, StringComparison.Ordinal);
        Assert.Matches(@"--subject-begins-with ""/blobServices/default/containers/\$(env:)?AZURE_STORAGE_DOCUMENTS_CONTAINER/""", text);
        Assert.Equal("documents", (string?)MainTemplate.Variable("documentsContainerName"));
        Assert.Equal("IngestDocument", (string?)MainTemplate.Variable("blobTriggerFunctionName"));
    }

    [Theory]
    [InlineData("postdeploy.sh")]
    [InlineData("postdeploy.ps1")]
    [InlineData("az.sh")]
    [InlineData("az.ps1")]
    public void Hook_ReadsOnlyOutputsOfMainBicep(string script)
    {
        var names = EnvironmentReference().Matches(File.ReadAllText(HookPath(script)))
            .Select(match => match.Groups["name"].Value).Distinct().ToList();

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.True(MainTemplate.Json["outputs"]?[name] is not null, $"{script} reads {name}, which main.bicep does not output."));
    }

    [Theory]
    [InlineData("preprovision.sh")]
    [InlineData("preprovision.ps1")]
    public void PreprovisionHook_ReadsOnlyWhatAzdSetsBeforeProvisioning(string script)
    {
        // It runs before main.bicep's outputs exist: only azd's own variables and the sign-in settings.
        var text = File.ReadAllText(HookPath(script));
        var names = EnvironmentReference().Matches(text).Select(match => match.Groups["name"].Value)
            .Concat(SignInReference().Matches(text).Select(match => match.Value)).Distinct().ToList();

        Assert.Contains("RAGTUNE_AUTH", names);
        Assert.All(names, name => Assert.Contains(name, new[] { "AZURE_ENV_NAME", "AZURE_SUBSCRIPTION_ID", "RAGTUNE_AUTH", "RAGTUNE_AUTH_CLIENT_ID", "RAGTUNE_AUTH_TENANT_ID", "RAGTUNE_CORS_ORIGINS" }));
    }

    private static string HookPath(string script) => Path.Combine(InfraFiles.Root, "hooks", script);

    [GeneratedRegex(@"RAGTUNE_[A-Z_]+")]
    private static partial Regex SignInReference();

    [GeneratedRegex(@"(?<name>AZURE_[A-Z_]+)")]
    private static partial Regex EnvironmentReference();
}
