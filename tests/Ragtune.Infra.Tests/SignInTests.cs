using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ragtune.Http.Auth;

namespace Ragtune.Infra.Tests;

/// <summary>
/// Optional sign-in (<c>azd env set RAGTUNE_AUTH entra</c>): the function app validates Microsoft Entra ID v2.0 access
/// tokens of the API's app registration, and without it gets no Ragtune__Auth__ setting at all.
/// </summary>
public sealed class SignInTests
{
    private const string ClientId = "11111111-2222-3333-4444-555555555555";
    private const string TenantId = "99999999-8888-7777-6666-555555555555";

    [Fact]
    public void WithoutRagtuneAuth_TheAppGetsNoSignInSetting()
    {
        Assert.Empty(OptionalSettings(new()));

        // A client id left in the azd environment from an earlier set-up does not turn sign-in on by itself.
        Assert.Empty(OptionalSettings(new() { ["auth"] = "", ["authClientId"] = ClientId }));
        Assert.DoesNotContain(AppSettings.Compiled.Keys, name => name.StartsWith("Ragtune__Auth__", StringComparison.Ordinal));
    }

    [Fact]
    public void WithEntra_TheAppValidatesV2TokensOfTheAppRegistration()
    {
        var settings = OptionalSettings(new() { ["auth"] = "entra", ["authClientId"] = ClientId, ["authTenantId"] = TenantId });

        Assert.Equal(["Ragtune__Auth__Audience", "Ragtune__Auth__Authority"], settings.Select(pair => pair.Key).Order(StringComparer.Ordinal));
        Assert.Equal($"https://login.microsoftonline.com/{TenantId}/v2.0", (string?)settings["Ragtune__Auth__Authority"]);

        // A v2.0 access token's "aud" is always the API's application (client) id, never its identifier URI.
        Assert.Equal(ClientId, (string?)settings["Ragtune__Auth__Audience"]);
    }

    [Fact]
    public void WithEntraAndNoTenantGiven_TheAuthorityIsTheSubscriptionsTenant()
    {
        const string subscriptionTenant = "aaaaaaaa-0000-0000-0000-000000000001";
        var settings = ArmExpression.Evaluate(MainTemplate.Json, OptionalSettingsExpression,
            new Dictionary<string, JsonNode?> { ["auth"] = "entra", ["authClientId"] = ClientId }, subscriptionTenant)!["value"]!.AsObject();

        Assert.Equal($"https://login.microsoftonline.com/{subscriptionTenant}/v2.0", (string?)settings["Ragtune__Auth__Authority"]);
    }

    [Fact]
    public void WithEntraButNoClientId_NothingIsSet()
    {
        Assert.Empty(OptionalSettings(new() { ["auth"] = "entra" }));
    }

    [Fact]
    public void SignInSettings_AreTheConfigurationKeysTheApiReads()
    {
        Assert.Equal(["Ragtune:Auth:Audience", "Ragtune:Auth:Authority"],
            AppSettings.SignIn.Keys.Select(AppSettings.ToConfigurationKey).Order(StringComparer.Ordinal));
        Assert.Equal(["", "entra"], MainTemplate.Json["parameters"]?["auth"]?["allowedValues"]?.AsArray().Select(value => (string?)value) ?? []);
    }

    [Fact]
    public void WithEntra_TheAppStartsWithTheSettingsAndValidatesTokensOfThatTenant()
    {
        var settings = OptionalSettings(new() { ["auth"] = "entra", ["authClientId"] = ClientId, ["authTenantId"] = TenantId })
            .Select(pair => KeyValuePair.Create(AppSettings.ToConfigurationKey(pair.Key), (string?)pair.Value));
        using var provider = FunctionsAppOptions.Build(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

        var auth = (AuthOptions)FunctionsAppOptions.Create(provider, typeof(AuthOptions));

        Assert.True(auth.ValidatesTokens);
        Assert.Equal(new Uri($"https://login.microsoftonline.com/{TenantId}/v2.0"), auth.Authority);
        Assert.Equal(ClientId, auth.Audience);
        Assert.True(auth.RequireHttpsMetadata);
    }

    [Fact]
    public void SignInSettings_AreReadByTheApp()
    {
        var keys = AppSettings.SignIn.Keys.Select(AppSettings.ToConfigurationKey).ToList();
        var recorder = new ReadKeysConfigurationProvider(keys);
        using var provider = FunctionsAppOptions.Build(new ConfigurationBuilder().Add(recorder).Build());

        _ = provider.GetRequiredService<IOptionsFactory<AuthOptions>>().Create(Options.DefaultName);

        Assert.Empty(keys.Except(recorder.Read, StringComparer.OrdinalIgnoreCase));
    }

    private static JsonNode? OptionalSettingsExpression =>
        MainTemplate.Module(AppSettings.FunctionAppModule)["properties"]?["parameters"]?["optionalAppSettings"];

    private static JsonObject OptionalSettings(Dictionary<string, JsonNode?> parameters) =>
        ArmExpression.Evaluate(MainTemplate.Json, OptionalSettingsExpression, parameters)?["value"]?.AsObject()
        ?? throw new InvalidOperationException("The function app module is given no optionalAppSettings.");
}
