using System.Text.Json.Serialization;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>How the active chat model changed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelChangeKind>))]
public enum ModelChangeKind
{
    /// <summary>A run's candidate won its gate and became the active model.</summary>
    [JsonStringEnumMemberName("promoted")]
    Promoted,

    /// <summary>The model active before the last promotion (still in force) became active again.</summary>
    [JsonStringEnumMemberName("rolled-back")]
    RolledBack,
}

/// <summary>One change of the active chat model; the history of changes is append-only.</summary>
/// <param name="Sequence">1, 2, 3, ... in the order the changes were made.</param>
/// <param name="Kind">A promotion or a rollback.</param>
/// <param name="Model">The model that became active: the name it is called by (an Azure deployment, or the fine-tuned model's id); null for the configured chat model.</param>
/// <param name="FineTunedModel">The fine-tuned model's id, when one became active.</param>
/// <param name="RunId">The run that promoted it, when one did.</param>
/// <param name="At">When the change was made.</param>
public sealed record ModelChange(int Sequence, ModelChangeKind Kind, string? Model, string? FineTunedModel, string? RunId, DateTimeOffset At);

/// <summary>The chat model that answers now, read from the history of changes.</summary>
/// <param name="Model">The name it is called by; null: the configured chat model (<c>Ragtune:Chat:Model</c>, or the host's own answerer).</param>
/// <param name="FineTunedModel">The fine-tuned model's id, when a fine-tuned model answers.</param>
/// <param name="RunId">The run that promoted it.</param>
/// <param name="Since">When it became active; null when no change was ever made.</param>
/// <param name="Previous">The model a rollback would make active (null: the configured one), when there is one to roll back to.</param>
/// <param name="CanRollBack">Whether a promotion is in force that a rollback would undo.</param>
public sealed record ActiveModel(string? Model, string? FineTunedModel, string? RunId, DateTimeOffset? Since, string? Previous, bool CanRollBack)
{
    /// <summary>The configured chat model, when no promotion is in force.</summary>
    public static ActiveModel Configured { get; } = new(null, null, null, null, null, false);

    /// <summary>
    /// The active model after these changes (oldest first): promotions stack up, and each rollback takes the newest
    /// promotion still in force off the stack.
    /// </summary>
    public static ActiveModel From(IReadOnlyList<ModelChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var inForce = new Stack<ModelChange>();
        foreach (var change in changes)
        {
            if (change.Kind == ModelChangeKind.Promoted)
            {
                inForce.Push(change);
            }
            else if (inForce.Count > 0)
            {
                inForce.Pop();
            }
        }

        var since = changes.Count == 0 ? (DateTimeOffset?)null : changes[^1].At;
        if (!inForce.TryPeek(out var current))
        {
            return Configured with { Since = since };
        }

        var previous = inForce.Skip(1).FirstOrDefault()?.Model;
        return new ActiveModel(current.Model, current.FineTunedModel, current.RunId, since, previous, CanRollBack: true);
    }
}
