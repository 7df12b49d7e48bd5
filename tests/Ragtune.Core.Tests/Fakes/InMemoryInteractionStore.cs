using System.Collections.Concurrent;
using Ragtune.Core.Feedback;

namespace Ragtune.Core.Tests.Fakes;

internal sealed class InMemoryInteractionStore : IInteractionStore
{
    private readonly ConcurrentDictionary<string, Interaction> _interactions = new(StringComparer.Ordinal);

    public IReadOnlyCollection<Interaction> Interactions => [.. _interactions.Values];

    public Task RecordAsync(Interaction interaction, CancellationToken cancellationToken = default)
    {
        Assert.True(_interactions.TryAdd(interaction.AnswerId, interaction), $"answer {interaction.AnswerId} recorded twice");
        return Task.CompletedTask;
    }

    public Task<Interaction?> FindAsync(string answerId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_interactions.GetValueOrDefault(answerId));
}
