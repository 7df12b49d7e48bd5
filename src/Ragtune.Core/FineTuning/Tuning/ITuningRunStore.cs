namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// Where tuning runs and the history of the active chat model are kept, durably: the SQLite file on the embedded
/// default, Table Storage in Azure. Both hosts read the active model from here, so a promotion or rollback takes effect
/// on every instance without a restart.
/// </summary>
public interface ITuningRunStore
{
    /// <summary>The run with this id, or null.</summary>
    Task<TuningRun?> FindAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a new run (its <see cref="TuningRun.Revision"/> becomes 1), or, when a run with its id exists already,
    /// stores nothing: returns the run as stored either way.
    /// </summary>
    Task<TuningRun> CreateAsync(TuningRun run, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the run, if the stored one still has <paramref name="run"/>'s revision; returns it with the next revision.
    /// Throws <see cref="TuningRunConflictException"/> when another writer saved it meanwhile (or it is gone).
    /// </summary>
    Task<TuningRun> UpdateAsync(TuningRun run, CancellationToken cancellationToken = default);

    /// <summary>Every run, newest first (by creation time, then id).</summary>
    Task<IReadOnlyList<TuningRun>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Every change of the active model, oldest first.</summary>
    Task<IReadOnlyList<ModelChange>> ReadModelChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a change, whose <see cref="ModelChange.Sequence"/> must be one more than the last stored one. Throws
    /// <see cref="TuningRunConflictException"/> when that sequence is taken (another change came first).
    /// </summary>
    Task AppendModelChangeAsync(ModelChange change, CancellationToken cancellationToken = default);
}

/// <summary>Another writer changed what this one meant to change; read it again and decide again.</summary>
public sealed class TuningRunConflictException(string what, Exception? innerException = null)
    : RagtuneException($"{what} was changed by another writer.", innerException)
{
    public override bool IsTransient => true;
}
