namespace Ragtune.Core.Feedback;

/// <summary>
/// Where answers and their ratings are kept: the SQLite file on the embedded default, Table Storage in Azure.
/// </summary>
public interface IInteractionStore
{
    /// <summary>Records an answer. Recording the same answer id twice is an error.</summary>
    Task RecordAsync(Interaction interaction, CancellationToken cancellationToken = default);

    /// <summary>The recorded answer with this id, or null.</summary>
    Task<Interaction?> FindAsync(string answerId, CancellationToken cancellationToken = default);
}
