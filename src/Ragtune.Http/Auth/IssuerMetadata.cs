using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Ragtune.Http.Auth;

/// <summary>
/// The issuer's OpenID Connect metadata and signing keys, cached: read on first use, again after
/// <see cref="Lifetime"/>, and again at once when a token names a key the cache lacks (the issuer rotated its keys),
/// but at most once per <see cref="MinRefreshInterval"/>, so that tokens with made-up key ids cannot flood the issuer.
/// A failed refresh keeps the keys it has; only a first read that fails is an error.
/// </summary>
internal sealed class IssuerMetadata(string address, IDocumentRetriever retriever, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _current;
    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;

    /// <summary>The cached metadata, read again when it is old or when <paramref name="keyMissing"/> and allowed.</summary>
    public async Task<OpenIdConnectConfiguration> GetAsync(bool keyMissing, CancellationToken cancellationToken = default)
    {
        var seen = _current;
        if (seen is not null && !NeedsRead(seen, keyMissing))
        {
            return seen.Configuration;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var current = _current;
            if (current is not null && (current != seen || !NeedsRead(current, keyMissing)))
            {
                return current.Configuration;
            }

            var now = time.GetUtcNow();
            if (keyMissing)
            {
                _lastForcedRefresh = now;
            }

            try
            {
                var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, cancellationToken);
                _current = new Snapshot(configuration, now);
                return configuration;
            }
            catch (Exception) when (current is not null && !cancellationToken.IsCancellationRequested)
            {
                return current.Configuration;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool NeedsRead(Snapshot snapshot, bool keyMissing)
    {
        var now = time.GetUtcNow();
        return now - snapshot.ReadAt >= Lifetime || (keyMissing && now - _lastForcedRefresh >= MinRefreshInterval);
    }

    public void Dispose() => _gate.Dispose();

    private sealed record Snapshot(OpenIdConnectConfiguration Configuration, DateTimeOffset ReadAt);
}
