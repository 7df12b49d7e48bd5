using Ragtune.Core.Feedback;
using Ragtune.Core.Index;

namespace Ragtune.Core.FineTuning;

/// <summary>
/// Decides, for one export, whether a rated answer may become training data: a fine-tuned model answers every caller,
/// so only answers drawn from public documents may. Looks each cited document up once per export; fails closed.
/// </summary>
internal sealed class TrainingAccess(IDocumentCatalog catalog)
{
    /// <summary>The current groups of each document looked up so far; null for one no longer in the catalog.</summary>
    private readonly Dictionary<string, IReadOnlyList<string>?> _groups = new(StringComparer.Ordinal);

    public async Task<bool> IsRestrictedAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        var askerHadGroups = interaction.CallerGroups.Count > 0;
        if (askerHadGroups && interaction.History.Count > 0)
        {
            // Earlier answers of the conversation may quote restricted documents, and nothing records which.
            return true;
        }

        foreach (var documentId in interaction.Chunks.Select(c => c.DocumentId).Distinct(StringComparer.Ordinal))
        {
            if (!_groups.TryGetValue(documentId, out var groups))
            {
                groups = (await catalog.FindAsync(documentId, cancellationToken))?.Groups;
                _groups[documentId] = groups;
            }

            // A document that is gone was public when the answer was given only if the asker had no groups.
            if (groups is null ? askerHadGroups : groups.Count > 0)
            {
                return true;
            }
        }

        return false;
    }
}
