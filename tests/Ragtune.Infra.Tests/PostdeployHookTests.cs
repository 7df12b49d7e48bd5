namespace Ragtune.Infra.Tests;

/// <summary>
/// infra/hooks/postdeploy.sh against a stand-in az: it stops at once with the way out when az is not signed in, waits
/// for the blobs_extension key, tries Event Grid's validation handshake again while the host starts, and changes nothing
/// when run again. (postdeploy.ps1 does the same in PowerShell, which is not on this machine: it is kept equivalent by
/// reading, and checked for the same commands by <see cref="AzureYamlTests"/>.)
/// </summary>
public sealed class PostdeployHookTests : IDisposable
{
    private static readonly Dictionary<string, string> AzdEnvironment = new()
    {
        ["AZURE_SUBSCRIPTION_ID"] = "subscription-0001",
        ["AZURE_RESOURCE_GROUP"] = "rg-test",
        ["AZURE_FUNCTION_APP_NAME"] = "func-test",
        ["AZURE_FUNCTION_APP_URL"] = "https://func-test.azurewebsites.net",
        ["AZURE_BLOB_TRIGGER_FUNCTION_NAME"] = "IngestDocument",
        ["AZURE_EVENTGRID_SYSTEM_TOPIC_NAME"] = "evgt-test",
        ["AZURE_STORAGE_DOCUMENTS_CONTAINER"] = "documents",
    };

    private const string Endpoint = "https://func-test.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.IngestDocument&code=blobs-extension-key";

    private readonly FakeCli _cli = new();

    [Fact]
    public void NotSignedIn_StopsAtOnce_SayingHowToSignIn()
    {
        _cli.Set("signed-out", "");

        var run = _cli.Run("postdeploy.sh", AzdEnvironment);

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Contains("az login", run.Errors, StringComparison.Ordinal);
        Assert.Contains("azd hooks run postdeploy", run.Errors, StringComparison.Ordinal);
        Assert.Single(run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["az account show --subscription subscription-0001 --query id --output tsv"], run.Calls);
    }

    [Fact]
    public void KeyNotYetWritten_IsWaitedFor_WakingTheHost()
    {
        _cli.Set("keys-pending", "2");

        var run = _cli.Run("postdeploy.sh", AzdEnvironment);

        Assert.True(run.ExitCode == 0, run.Transcript);
        Assert.Equal(3, run.CountCalls("az functionapp keys list"));
        Assert.Equal(2, run.CountCalls("curl "));
        Assert.Equal(Endpoint, _cli.Get("event-subscriptions/documents-blob-created"));
    }

    [Fact]
    public void ValidationHandshakeFailingTwice_IsTriedAgain_AndSucceeds()
    {
        _cli.Set("handshake-failures", "2");

        var run = _cli.Run("postdeploy.sh", AzdEnvironment);

        Assert.True(run.ExitCode == 0, run.Transcript);
        Assert.Equal(3, run.CountCalls("az eventgrid system-topic event-subscription create"));
        Assert.Contains("validation handshake", run.Output, StringComparison.Ordinal);
        Assert.Contains("now trigger IngestDocument", run.Output, StringComparison.Ordinal);
        Assert.Equal(Endpoint, _cli.Get("event-subscriptions/documents-blob-created"));
    }

    [Fact]
    public void ValidationHandshakeNeverSucceeding_GivesUpAfterBoundedTries_SayingWhatToCheck()
    {
        _cli.Set("handshake-failures", "1000");

        var run = _cli.Run("postdeploy.sh", AzdEnvironment);

        Assert.True(run.ExitCode != 0, run.Transcript);
        Assert.Equal(10, run.CountCalls("az eventgrid system-topic event-subscription create"));
        Assert.Contains("could not validate the webhook of IngestDocument after 10 tries", run.Errors, StringComparison.Ordinal);
        Assert.Contains("azd hooks run postdeploy", run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("blobs-extension-key", run.Output + run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void RunAgain_FindsTheSubscriptionInPlace_AndCreatesNoOther()
    {
        Assert.Equal(0, _cli.Run("postdeploy.sh", AzdEnvironment).ExitCode);
        _cli.ClearCalls();

        var again = _cli.Run("postdeploy.sh", AzdEnvironment);

        Assert.True(again.ExitCode == 0, again.Transcript);
        Assert.Equal(0, again.CountCalls("az eventgrid system-topic event-subscription create"));
        Assert.Contains("nothing to change", again.Output, StringComparison.Ordinal);
        Assert.Equal(["documents-blob-created"], Directory.EnumerateFiles(Path.Combine(_cli.StatePath, "event-subscriptions")).Select(Path.GetFileName));
    }

    [Fact]
    public void RunAgainAfterTheKeyChanged_PointsTheSubscriptionAtTheNewKey()
    {
        _cli.Set("event-subscriptions/documents-blob-created", Endpoint.Replace("blobs-extension-key", "old-key", StringComparison.Ordinal));

        var run = _cli.Run("postdeploy.sh", AzdEnvironment);

        Assert.True(run.ExitCode == 0, run.Transcript);
        Assert.Equal(1, run.CountCalls("az eventgrid system-topic event-subscription create"));
        Assert.Equal(Endpoint, _cli.Get("event-subscriptions/documents-blob-created"));
    }

    public void Dispose() => _cli.Dispose();
}
