using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// The active chat model as both hosts read it: the store's history of changes, read again once
/// <see cref="TuningOptions.ActiveModelCacheTime"/> has passed, so that a promotion or rollback anywhere reaches every
/// instance on its next question after that, with no restart. A store that cannot be read keeps the model last read
/// (and the configured model before any read succeeded): answering goes on.
/// </summary>
public sealed class ActiveChatModel(ITuningRunStore store, IOptions<TuningOptions> options, TimeProvider time, ILogger<ActiveChatModel> logger) : IDisposable
{
    private readonly TimeSpan _cacheTime = options.Value.ActiveModelCacheTime;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Cached? _cached;

    /// <summary>The active model (from cache when it is fresh).</summary>
    public async Task<ActiveModel> GetAsync(CancellationToken cancellationToken = default)
    {
        var cached = _cached;
        if (cached is not null && time.GetUtcNow() - cached.ReadAt < _cacheTime)
        {
            return cached.Model;
        }

        await _reading.WaitAsync(cancellationToken);
        try
        {
            cached = _cached;
            if (cached is not null && time.GetUtcNow() - cached.ReadAt < _cacheTime)
            {
                return cached.Model;
            }

            var readAt = time.GetUtcNow();
            try
            {
                var model = ActiveModel.From(await store.ReadModelChangesAsync(cancellationToken));
                _cached = new Cached(model, readAt);
                return model;
            }
            catch (RagtuneException exception) when (exception.IsTransient)
            {
                Log.ActiveModelUnreadable(logger, exception);
                var kept = cached?.Model ?? ActiveModel.Configured;
                _cached = new Cached(kept, readAt);
                return kept;
            }
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>Forgets the cached model: the next question reads the store (after this host changed it).</summary>
    public void Invalidate() => _cached = null;

    public void Dispose() => _reading.Dispose();

    private sealed record Cached(ActiveModel Model, DateTimeOffset ReadAt);
}
