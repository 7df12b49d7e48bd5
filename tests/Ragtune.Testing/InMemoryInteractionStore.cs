using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Ragtune.Core.Feedback;

namespace Ragtune.Testing;

/// <summary>An <see cref="IInteractionStore"/> in memory with the seam's contract (last rating wins, stamps rise in save order).</summary>
public sealed class InMemoryInteractionStore : IInteractionStore
{
    private readonly ConcurrentDictionary<string, Interaction> _interactions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AnswerFeedback> _feedback = new(StringComparer.Ordinal);
    private readonly Lock _feedbackLock = new();

    public IReadOnlyCollection<Interaction> Interactions => [.. _interactions.Values];

    public Task RecordAsync(Interaction interaction, CancellationToken cancellationToken = default)
    {
        return _interactions.TryAdd(interaction.AnswerId, interaction)
            ? Task.CompletedTask
            : throw new InvalidOperationException($"Answer {interaction.AnswerId} recorded twice.");
    }

    public Task<Interaction?> FindAsync(string answerId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_interactions.GetValueOrDefault(answerId));

    public Task<AnswerFeedback?> SaveFeedbackAsync(AnswerFeedback feedback, CancellationToken cancellationToken = default)
    {
        if (!_interactions.ContainsKey(feedback.AnswerId))
        {
            return Task.FromResult<AnswerFeedback?>(null);
        }

        lock (_feedbackLock)
        {
            // As the SQLite store: stamps increase in save order.
            var newest = _feedback.Values.Select(f => f.RatedAt).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
            var saved = feedback.RatedAt > newest ? feedback : feedback with { RatedAt = newest.AddTicks(1) };
            _feedback[feedback.AnswerId] = saved;
            return Task.FromResult<AnswerFeedback?>(saved);
        }
    }

    public Task<DateTimeOffset?> GetFeedbackWatermarkAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_feedback.IsEmpty ? null : (DateTimeOffset?)_feedback.Values.Max(f => f.RatedAt));

    public async IAsyncEnumerable<RatedInteraction> ReadRatedAsync(DateTimeOffset upTo, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var feedback in _feedback.Values.Where(f => f.RatedAt <= upTo).OrderBy(f => f.AnswerId, StringComparer.Ordinal).ToList())
        {
            await Task.Yield();
            yield return new RatedInteraction(_interactions[feedback.AnswerId], feedback);
        }
    }

    public Task<int> DeleteRecordedBeforeAsync(DateTimeOffset recordedBefore, DateTimeOffset? exportedUpTo, CancellationToken cancellationToken = default)
    {
        var expired = _interactions.Values
            .Where(i => i.CreatedAt < recordedBefore)
            .Where(i => !_feedback.TryGetValue(i.AnswerId, out var feedback) || (exportedUpTo is { } exported && feedback.RatedAt <= exported))
            .Select(i => i.AnswerId)
            .ToList();
        foreach (var answerId in expired)
        {
            _feedback.TryRemove(answerId, out _);
            _interactions.TryRemove(answerId, out _);
        }

        return Task.FromResult(expired.Count);
    }
}
