using System.Text.Json.Nodes;

namespace Ragtune.Infra.Tests;

/// <summary>The app settings main.bicep gives the function app, as compiled (values are template expressions).</summary>
internal static class AppSettings
{
    public const string FunctionAppModule = "function-app";

    /// <summary>Settings of the platform rather than of Ragtune's code: the host, its trigger connection, telemetry, the credential.</summary>
    public static readonly string[] PlatformPrefixes =
        ["AzureWebJobsStorage__", "DocumentStorage__", "APPLICATIONINSIGHTS_", "AZURE_CLIENT_ID"];

    public static IReadOnlyDictionary<string, string> Compiled { get; } = Read();

    /// <summary>The settings the app gets only with sign-in set up (<c>RAGTUNE_AUTH=entra</c>), as compiled.</summary>
    public static IReadOnlyDictionary<string, string> SignIn { get; } =
        (MainTemplate.Variable("entraSignInSettings") as JsonObject ?? throw new InvalidOperationException("entraSignInSettings is not an object literal."))
        .ToDictionary(pair => pair.Key, pair => (string?)pair.Value ?? throw new InvalidOperationException($"{pair.Key} is not a string."));

    /// <summary>The settings the app gets only with auto-tune on (<c>RAGTUNE_AUTO_TUNE=true</c>), as compiled.</summary>
    public static IReadOnlyDictionary<string, string> AutoTune { get; } =
        (MainTemplate.Variable("autoTuneSettings") as JsonObject ?? throw new InvalidOperationException("autoTuneSettings is not an object literal."))
        .ToDictionary(pair => pair.Key, pair => (string?)pair.Value ?? throw new InvalidOperationException($"{pair.Key} is not a string."));

    /// <summary>The settings Ragtune's code reads, as configuration keys (<c>Ragtune:Chat:Endpoint</c>).</summary>
    public static IEnumerable<KeyValuePair<string, string>> RagtuneSettings =>
        Compiled.Where(setting => setting.Key.StartsWith("Ragtune__", StringComparison.Ordinal))
            .Select(setting => KeyValuePair.Create(ToConfigurationKey(setting.Key), setting.Value));

    /// <summary>App setting names separate sections with <c>__</c> (a colon is not allowed on Linux); .NET reads <c>:</c>.</summary>
    public static string ToConfigurationKey(string settingName) => settingName.Replace("__", ":", StringComparison.Ordinal);

    private static Dictionary<string, string> Read()
    {
        var value = MainTemplate.ModuleParameter(FunctionAppModule, "appSettings") as JsonObject
            ?? throw new InvalidOperationException("The function app's settings are not an object literal in main.bicep.");
        return value.ToDictionary(pair => pair.Key, pair => (string?)pair.Value ?? throw new InvalidOperationException($"{pair.Key} is not a string."));
    }
}
