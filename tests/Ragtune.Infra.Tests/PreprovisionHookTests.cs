namespace Ragtune.Infra.Tests;

/// <summary>
/// infra/hooks/preprovision.sh, the optional Entra sign-in set-up, against stand-ins for az and azd: nothing without
/// RAGTUNE_AUTH; with it, one app registration made (or found again) and configured once, its client id and tenant in
/// the azd environment, and what a front end needs printed. (preprovision.ps1 does the same in PowerShell, which is not
/// on this machine: it is kept equivalent by reading.)
/// </summary>
public sealed class PreprovisionHookTests : IDisposable
{
    private const string FirstAppId = "00000000-0000-4000-8000-000000000001";

    private static readonly Dictionary<string, string> Entra = new()
    {
        ["AZURE_ENV_NAME"] = "dev",
        ["AZURE_SUBSCRIPTION_ID"] = "subscription-0001",
        ["RAGTUNE_AUTH"] = "entra",
    };

    private readonly FakeCli _cli = new();

    [Fact]
    public void WithoutRagtuneAuth_DoesNothing_NotEvenCallingAz()
    {
        var run = _cli.Run("preprovision.sh", new Dictionary<string, string> { ["AZURE_ENV_NAME"] = "dev" });

        Assert.True(run.ExitCode == 0, run.Transcript);
        Assert.Empty(run.Calls);
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData("okta")]
    [InlineData("Entra")] // main.bicep allows exactly 'entra'
    public void UnknownRagtuneAuth_FailsNamingTheChoices(string value)
    {
        var run = _cli.Run("preprovision.sh", new Dictionary<string, string>(Entra) { ["RAGTUNE_AUTH"] = value });

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains("'entra'", run.Errors, StringComparison.Ordinal);
        Assert.Empty(run.Calls);
    }

    [Fact]
    public void NotSignedIn_StopsAtOnce_SayingHowToSignIn()
    {
        _cli.Set("signed-out", "");

        var run = _cli.Run("preprovision.sh", Entra);

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains("az login", run.Errors, StringComparison.Ordinal);
        Assert.Single(run.Calls);
    }

    [Fact]
    public void FirstRun_CreatesTheAppRegistration_ConfiguresIt_AndWritesItToTheAzdEnvironment()
    {
        var run = _cli.Run("preprovision.sh", Entra);

        Assert.True(run.ExitCode == 0, run.Transcript);
        Assert.Equal(1, run.CountCalls("az ad app create --display-name ragtune-api-dev --sign-in-audience AzureADMyOrg"));
        Assert.Equal(1, run.CountCalls("az rest --method PATCH --uri https://graph.microsoft.com/v1.0/applications/10000000-0000-4000-8000-000000000001"));
        Assert.Equal(1, run.CountCalls($"az ad sp create --id {FirstAppId}"));
        Assert.Equal(FirstAppId, _cli.Get("env/RAGTUNE_AUTH_CLIENT_ID"));
        Assert.Equal("tenant-0001", _cli.Get("env/RAGTUNE_AUTH_TENANT_ID"));

        var body = _cli.Get($"apps/{FirstAppId}/patched-body") ?? string.Empty;
        Assert.Contains($"\"identifierUris\": [\"api://{FirstAppId}\"]", body, StringComparison.Ordinal);
        Assert.Contains("\"groupMembershipClaims\": \"SecurityGroup\"", body, StringComparison.Ordinal);
        Assert.Contains("\"requestedAccessTokenVersion\": 2", body, StringComparison.Ordinal);
        Assert.Contains("\"value\": \"access_as_user\"", body, StringComparison.Ordinal);
        Assert.Matches("\"id\": \"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\"", body);
    }

    [Fact]
    public void FirstRun_PrintsWhatAFrontEndNeeds()
    {
        var run = _cli.Run("preprovision.sh", Entra);

        Assert.True(run.ExitCode == 0, run.Transcript);
        Assert.Contains("tenant:     tenant-0001", run.Output, StringComparison.Ordinal);
        Assert.Contains("authority:  https://login.microsoftonline.com/tenant-0001/v2.0", run.Output, StringComparison.Ordinal);
        Assert.Contains($"client id:  {FirstAppId}", run.Output, StringComparison.Ordinal);
        Assert.Contains($"scope:      api://{FirstAppId}/access_as_user", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void RunAgain_ReusesTheAppRegistration_AndWritesNothingToIt()
    {
        Assert.Equal(0, _cli.Run("preprovision.sh", Entra).ExitCode);
        var scopeId = _cli.Get($"apps/{FirstAppId}/scopeId");
        _cli.ClearCalls();

        // As azd would run it again: the environment now holds what the first run wrote.
        var again = _cli.Run("preprovision.sh", new Dictionary<string, string>(Entra)
        {
            ["RAGTUNE_AUTH_CLIENT_ID"] = _cli.Get("env/RAGTUNE_AUTH_CLIENT_ID")!,
            ["RAGTUNE_AUTH_TENANT_ID"] = _cli.Get("env/RAGTUNE_AUTH_TENANT_ID")!,
        });

        Assert.True(again.ExitCode == 0, again.Transcript);
        Assert.Equal(0, again.CountCalls("az ad app create"));
        Assert.Equal(0, again.CountCalls("az rest"));
        Assert.Equal(0, again.CountCalls("az ad sp create"));
        Assert.Single(Directory.EnumerateDirectories(Path.Combine(_cli.StatePath, "apps")));
        Assert.Equal(scopeId, _cli.Get($"apps/{FirstAppId}/scopeId"));
        Assert.Contains($"scope:      api://{FirstAppId}/access_as_user", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void NewEnvironmentFolder_FindsTheAppRegistrationByItsName_InsteadOfMakingAnother()
    {
        Assert.Equal(0, _cli.Run("preprovision.sh", Entra).ExitCode);
        _cli.ClearCalls();

        // The azd environment lost RAGTUNE_AUTH_CLIENT_ID (a new clone, another machine): the display name finds it.
        var again = _cli.Run("preprovision.sh", Entra);

        Assert.True(again.ExitCode == 0, again.Transcript);
        Assert.Equal(0, again.CountCalls("az ad app create"));
        Assert.Equal(1, again.CountCalls("az ad app list --display-name ragtune-api-dev"));
        Assert.Single(Directory.EnumerateDirectories(Path.Combine(_cli.StatePath, "apps")));
        Assert.Equal(FirstAppId, _cli.Get("env/RAGTUNE_AUTH_CLIENT_ID"));
    }

    [Fact]
    public void SignedInToAnotherTenant_StopsNamingTheTenantToSignInTo()
    {
        var run = _cli.Run("preprovision.sh", new Dictionary<string, string>(Entra) { ["RAGTUNE_AUTH_TENANT_ID"] = "tenant-0002" });

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains("az login --tenant tenant-0002", run.Errors, StringComparison.Ordinal);
        Assert.Equal(0, run.CountCalls("az ad app create"));
    }

    public void Dispose() => _cli.Dispose();
}
