using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ragtune.Infra.Tests;

/// <summary>
/// infra/main.bicep compiled once by the Bicep CLI into its ARM template, and ways into it: the modules (nested
/// deployments) by name, their parameters, their resources, and the few template expressions that are known before
/// deployment.
/// </summary>
internal static partial class MainTemplate
{
    private static readonly Lazy<BicepRun> BuildRun = new(() => BicepCli.Run("build", InfraFiles.MainBicep, "--stdout"));
    private static readonly Lazy<JsonObject> Compiled = new(Parse);

    public static BicepRun Build => BuildRun.Value;

    public static JsonObject Json => Compiled.Value;

    public static string Text => Build.Output;

    /// <summary>The nested deployment of a module, by its deployment name (the module's <c>name:</c>).</summary>
    public static JsonObject Module(string deploymentName) =>
        Resources(Json).SingleOrDefault(resource => Type(resource) == "Microsoft.Resources/deployments"
            && (string?)resource["name"] == deploymentName)
        ?? throw new InvalidOperationException($"main.bicep has no module deployed as '{deploymentName}'.");

    /// <summary>The value main.bicep passes to a module's parameter.</summary>
    public static JsonNode? ModuleParameter(string deploymentName, string parameter) =>
        (Module(deploymentName)["properties"]?["parameters"]?[parameter]
            ?? throw new InvalidOperationException($"The module '{deploymentName}' is given no '{parameter}'."))["value"];

    /// <summary>The template of a module.</summary>
    public static JsonObject ModuleTemplate(string deploymentName) =>
        Module(deploymentName)["properties"]?["template"]?.AsObject()
        ?? throw new InvalidOperationException($"The module '{deploymentName}' has no inline template.");

    /// <summary>Every resource of the template and of the templates nested in it, <c>existing</c> references left out.</summary>
    public static IEnumerable<JsonObject> AllResources(JsonObject template)
    {
        foreach (var resource in Resources(template))
        {
            if (resource["existing"]?.GetValue<bool>() == true)
            {
                continue;
            }

            yield return resource;
            if (resource["properties"] is JsonObject { } properties && properties["template"] is JsonObject nested)
            {
                foreach (var inner in AllResources(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>The resources of one template, whether listed (language version 1) or keyed by symbolic name (2.0).</summary>
    public static IEnumerable<JsonObject> Resources(JsonObject template) => template["resources"] switch
    {
        JsonArray list => list.OfType<JsonObject>(),
        JsonObject symbolic => symbolic.Select(pair => pair.Value).OfType<JsonObject>(),
        _ => [],
    };

    public static string? Type(JsonObject resource) => (string?)resource["type"];

    /// <summary>The single deployed resource of a type, anywhere in the template.</summary>
    public static JsonObject Single(string type) =>
        Assert.Single(AllResources(Json), resource => string.Equals(Type(resource), type, StringComparison.OrdinalIgnoreCase));

    /// <summary>A value of main.bicep's variables, when it is a literal.</summary>
    public static JsonNode? Variable(string name) =>
        Json["variables"]?[name] ?? throw new InvalidOperationException($"main.bicep has no variable '{name}'.");

    /// <summary>
    /// The role definition id an expression of main.bicep names: <c>[variables('roles').NAME]</c> resolves through the
    /// <c>roles</c> variable.
    /// </summary>
    public static string RoleDefinitionId(string expression)
    {
        var match = RoleReference().Match(expression);
        Assert.True(match.Success, $"'{expression}' does not name a role of the roles variable.");
        return (string?)Variable("roles")?[match.Groups["name"].Value]
            ?? throw new InvalidOperationException($"The roles variable has no '{match.Groups["name"].Value}'.");
    }

    /// <summary>
    /// What a value that main.bicep passes will be where it can be told before deployment: literals, main's parameters
    /// (their defaults) and literal variables. An output of another module is known only at deployment; it stands in
    /// as an address for an endpoint or URI output and as a name for any other.
    /// </summary>
    public static string Evaluate(string value)
    {
        if (!value.StartsWith('[') || value.StartsWith("[[", StringComparison.Ordinal))
        {
            return value.StartsWith("[[", StringComparison.Ordinal) ? value[1..] : value;
        }

        if (ParameterReference().Match(value) is { Success: true } parameter)
        {
            var name = parameter.Groups["name"].Value;
            var defaultValue = Json["parameters"]?[name]?["defaultValue"]
                ?? throw new InvalidOperationException($"The parameter '{name}' has no default value to stand for it.");
            return defaultValue is JsonValue text && text.TryGetValue<string>(out var literal) ? literal : defaultValue.ToJsonString();
        }

        if (VariableReference().Match(value) is { Success: true } variable)
        {
            return (string?)Variable(variable.Groups["name"].Value)
                ?? throw new InvalidOperationException($"The variable '{variable.Groups["name"].Value}' is not a literal string.");
        }

        if (ModuleOutputReference().Match(value) is { Success: true } output)
        {
            var name = output.Groups["output"].Value;
            return name.Contains("Endpoint", StringComparison.OrdinalIgnoreCase) || name.EndsWith("Uri", StringComparison.OrdinalIgnoreCase)
                ? $"https://{output.Groups["module"].Value}.example.invalid/"
                : $"{output.Groups["module"].Value}-{name}";
        }

        throw new InvalidOperationException($"No value can be told before deployment for {value}.");
    }

    private static JsonObject Parse()
    {
        Assert.True(Build.ExitCode == 0, Build.Transcript);
        return JsonNode.Parse(Build.Output)?.AsObject() ?? throw new InvalidOperationException("bicep build printed no template.");
    }

    [GeneratedRegex(@"^\[variables\('roles'\)\.(?<name>\w+)\]$")]
    private static partial Regex RoleReference();

    [GeneratedRegex(@"^\[(string\()?parameters\('(?<name>\w+)'\)\)?\]$")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"^\[variables\('(?<name>\w+)'\)\]$")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^\[reference\(.*'Microsoft\.Resources/deployments', '(?<module>[\w-]+)'\).*\)\.outputs\.(?<output>\w+)\.value\]$")]
    private static partial Regex ModuleOutputReference();
}
