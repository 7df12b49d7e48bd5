using Azure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Ragtune.Azure.Search;
using Ragtune.Core;

namespace Ragtune.Azure.Tests.Search;

public sealed class SearchIndexReadinessTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ServiceReadiness _health = new();
    private readonly SearchIndexReadiness _readiness;

    public SearchIndexReadinessTests() =>
        _readiness = new SearchIndexReadiness(_health, _time, Options.Create(new AzureSearchOptions { IndexName = "ragtune-chunks" }));

    [Fact]
    public void Failed_Repeatedly_WaitsLongerEachTimeUpToFiveMinutes()
    {
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
        {
            _readiness.Failed(new RequestFailedException(403, "Authorization failed."));
            waits.Add(_readiness.RetryAt - _time.GetUtcNow());
        }

        Assert.Equal([5, 10, 20, 40, 80, 160, 300, 300], waits.Select(w => (int)w.TotalSeconds));
    }

    [Fact]
    public void Failed_WithTheServicesWait_WaitsAtLeastThatLong()
    {
        _readiness.Failed(new DependencyUnavailableException("search", DependencyFailure.Throttled, TimeSpan.FromSeconds(45)));

        Assert.Equal(TimeSpan.FromSeconds(45), _readiness.RetryAt - _time.GetUtcNow());
    }

    [Fact]
    public void Blocking_AfterAFailure_IsTheFailureUntilItIsTimeToTryAgain()
    {
        _readiness.Failed(new RequestFailedException(403, "Authorization failed."));

        var blocked = _readiness.Blocking();
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.NotNull(blocked);
        Assert.Equal(DependencyFailure.Unavailable, blocked.Failure);
        Assert.Equal(TimeSpan.FromSeconds(5), blocked.RetryAfter);
        Assert.Null(_readiness.Blocking());
    }

    [Fact]
    public void Blocking_AfterARefusedDefinition_StaysBlocked()
    {
        _readiness.Failed(new RequestFailedException(400, "Existing field 'embedding' cannot be changed.", "InvalidRequestParameter", null));
        _time.Advance(TimeSpan.FromDays(1));

        Assert.True(_readiness.IsPermanentlyRefused);
        Assert.NotNull(_readiness.Blocking());
    }

    [Fact]
    public void Ready_AfterFailures_ClearsTheReasonFromHealth()
    {
        _readiness.Failed(new RequestFailedException(403, "Authorization failed."));
        Assert.Single(_health.Reasons);

        _readiness.Ready();

        Assert.Empty(_health.Reasons);
        Assert.Null(_readiness.Blocking());
    }
}
