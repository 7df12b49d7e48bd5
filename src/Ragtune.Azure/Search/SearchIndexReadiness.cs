using System.Net;
using Azure;
using Microsoft.Extensions.Options;
using Ragtune.Core;

namespace Ragtune.Azure.Search;

/// <summary>
/// Whether the chunk index exists as this app defines it; if not, why, whether trying again can help, and when to:
/// reported into Core's <see cref="ServiceReadiness"/> for health. A refused permission (403: role assignments take
/// minutes to propagate) and an outage are tried again with a growing delay; a definition the service refuses (400: an
/// existing index with another embedding dimension) is not, and names the setting to change.
/// </summary>
public sealed class SearchIndexReadiness(ServiceReadiness readiness, TimeProvider time, IOptions<AzureSearchOptions> options)
{
    /// <summary>The part's name in health.</summary>
    public const string Component = "index";

    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private NotReadyState? _notReady;
    private int _failures;

    /// <summary>True once the index was created or updated.</summary>
    public bool IsReady { get; private set; }

    /// <summary>True when the service refused the definition: nothing but a new setting helps.</summary>
    public bool IsPermanentlyRefused
    {
        get
        {
            lock (_gate)
            {
                return _notReady?.Permanent == true;
            }
        }
    }

    /// <summary>When the index should be tried again (now when it never failed).</summary>
    public DateTimeOffset RetryAt
    {
        get
        {
            lock (_gate)
            {
                return _notReady?.RetryAt ?? time.GetUtcNow();
            }
        }
    }

    /// <summary>The index is being created or updated (before the first answer).</summary>
    public void Starting() => readiness.NotReady(Component, "index not ready: being created or updated in Azure AI Search");

    public void Ready()
    {
        lock (_gate)
        {
            _notReady = null;
            _failures = 0;
            IsReady = true;
        }

        readiness.Ready(Component);
    }

    /// <summary>Records a failed attempt and returns what a caller of the index gets meanwhile.</summary>
    public DependencyUnavailableException Failed(Exception exception)
    {
        var (reason, permanent) = Explain(exception, options.Value.IndexName);
        NotReadyState state;
        lock (_gate)
        {
            var delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Min(_failures, 16)));
            if (exception is DependencyUnavailableException { RetryAfter: { } asked } && asked > delay)
            {
                delay = asked;
            }

            _failures++;
            state = _notReady = new NotReadyState(reason, permanent, time.GetUtcNow() + delay, exception);
        }

        readiness.NotReady(Component, reason);
        return Unavailable(state);
    }

    /// <summary>The failure a caller of the index gets without another attempt: the last one, until it is time to try again.</summary>
    public DependencyUnavailableException? Blocking()
    {
        lock (_gate)
        {
            return _notReady is { } state && (state.Permanent || time.GetUtcNow() < state.RetryAt) ? Unavailable(state) : null;
        }
    }

    /// <summary>Why the index is not ready, for the operator, and whether trying again can help.</summary>
    internal static (string Reason, bool Permanent) Explain(Exception exception, string indexName) => exception switch
    {
        RequestFailedException { Status: 403 } => ("index not ready: 403 Forbidden from Azure AI Search; role assignments can take minutes", false),
        RequestFailedException { Status: 401 } => ("index not ready: 401 Unauthorized from Azure AI Search; check Ragtune:Search:ApiKey or the app's identity", false),
        RequestFailedException { Status: 400 } failed => (
            $"index not ready: Azure AI Search refused the definition of index '{indexName}' (400 {failed.ErrorCode}: {Shorten(failed.Message)}), "
            + "which conflicts with the existing index (such as another embedding dimension); set Ragtune:Search:IndexName to a new index name",
            true),
        RequestFailedException failed => ($"index not ready: {failed.Status} {(HttpStatusCode)failed.Status} from Azure AI Search", false),
        DependencyUnavailableException unavailable => ($"index not ready: Azure AI Search is unavailable ({unavailable.Failure}); trying again", false),
        _ => ($"index not ready: {exception.GetType().Name} while creating it in Azure AI Search", false),
    };

    private DependencyUnavailableException Unavailable(NotReadyState state)
    {
        var wait = state.RetryAt - time.GetUtcNow();
        return new DependencyUnavailableException(
            "search", DependencyFailure.Unavailable, wait > TimeSpan.Zero ? wait : null, new InvalidOperationException(state.Reason, state.Cause));
    }

    /// <summary>The service's first line, without the SDK's listing of the request.</summary>
    private static string Shorten(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length <= 300 ? line : line[..300] + "...";
    }

    private sealed record NotReadyState(string Reason, bool Permanent, DateTimeOffset RetryAt, Exception Cause);
}
