using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.Testing;

/// <summary>An <see cref="ITuningRunStore"/> in memory with the seam's contract (revisions, append-only changes), records round-tripped through JSON as a real store's are.</summary>
public sealed class InMemoryTuningRunStore : ITuningRunStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Json, int Revision)> _runs = new(StringComparer.Ordinal);
    private readonly List<string> _changes = [];

    /// <summary>Saves of runs so far (creates and updates), to check what a step wrote.</summary>
    public int Saves { get; private set; }

    public Task<TuningRun?> FindAsync(string runId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_runs.TryGetValue(runId, out var stored) ? TuningJson.DeserializeRun(stored.Json, stored.Revision) : null);
        }
    }

    public Task<TuningRun> CreateAsync(TuningRun run, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_runs.TryGetValue(run.RunId, out var stored))
            {
                stored = (TuningJson.Serialize(run), 1);
                _runs[run.RunId] = stored;
                Saves++;
            }

            return Task.FromResult(TuningJson.DeserializeRun(stored.Json, stored.Revision));
        }
    }

    public Task<TuningRun> UpdateAsync(TuningRun run, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_runs.TryGetValue(run.RunId, out var stored) || stored.Revision != run.Revision)
            {
                throw new TuningRunConflictException($"Tuning run {run.RunId}");
            }

            _runs[run.RunId] = (TuningJson.Serialize(run), run.Revision + 1);
            Saves++;
            return Task.FromResult(TuningJson.DeserializeRun(_runs[run.RunId].Json, run.Revision + 1));
        }
    }

    public Task<IReadOnlyList<TuningRun>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<TuningRun>>(
                [.. _runs.Values.Select(r => TuningJson.DeserializeRun(r.Json, r.Revision)).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal)]);
        }
    }

    public Task<IReadOnlyList<ModelChange>> ReadModelChangesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ModelChange>>([.. _changes.Select(TuningJson.DeserializeChange)]);
        }
    }

    public Task AppendModelChangeAsync(ModelChange change, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (change.Sequence != _changes.Count + 1)
            {
                throw new TuningRunConflictException($"Model change {change.Sequence}");
            }

            _changes.Add(TuningJson.Serialize(change));
            return Task.CompletedTask;
        }
    }
}
