using System.Runtime.CompilerServices;
using Ragtune.Core;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;

namespace Ragtune.Http.Streams;

/// <summary>
/// A streamed answer as every streaming protocol of the API sends it (Ragtune's own events, OpenAI's chunks, the AI
/// SDK's UI message stream): begun only once its first text is there, so that a failure before anything is written is
/// still answered with its own status code, and ended by an <see cref="AnswerFailedEvent"/> when it fails on the way.
/// </summary>
public static class StreamedAnswer
{
    /// <summary>
    /// Runs the stream until the answer itself begins (its first text, or the whole answer), holding back the
    /// citations that come before it: a chat service that is throttling (429) or timing out (504) fails before its first
    /// token, after retrieval has already produced the citations. Returns the stream (held events included) or the
    /// problem; exceptions that are not dependency failures propagate.
    /// </summary>
    public static async Task<(IAsyncEnumerable<AnswerEvent>? Events, ApiProblem? Problem)> BeginAsync(
        IAsyncEnumerable<AnswerEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var enumerator = events.GetAsyncEnumerator(cancellationToken);
        var held = new List<AnswerEvent>();
        try
        {
            while (await enumerator.MoveNextAsync())
            {
                held.Add(enumerator.Current);
                if (enumerator.Current is not CitationsEvent)
                {
                    return (Replay(held, enumerator), null);
                }
            }
        }
        catch (DependencyUnavailableException exception)
        {
            await enumerator.DisposeAsync();
            return (null, ApiProblem.FromException(exception));
        }
        catch
        {
            await enumerator.DisposeAsync();
            throw;
        }

        await enumerator.DisposeAsync();
        return (held.ToAsyncEnumerable(), null);
    }

    /// <summary>The events, with a failure on the way (other than the caller's cancellation) in the place of the event that did not come, as the last one.</summary>
    public static async IAsyncEnumerable<AnswerEvent> EndingInFailure(
        IAsyncEnumerable<AnswerEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        await using var enumerator = events.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            AnswerEvent current;
            try
            {
                if (!await enumerator.MoveNextAsync())
                {
                    yield break;
                }

                current = enumerator.Current;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                current = new AnswerFailedEvent(ApiProblem.FromException(exception));
            }

            yield return current;
            if (current is AnswerFailedEvent)
            {
                yield break;
            }
        }
    }

    private static async IAsyncEnumerable<AnswerEvent> Replay(IReadOnlyList<AnswerEvent> held, IAsyncEnumerator<AnswerEvent> started)
    {
        await using (started)
        {
            foreach (var answerEvent in held)
            {
                yield return answerEvent;
            }

            while (await started.MoveNextAsync())
            {
                yield return started.Current;
            }
        }
    }
}

/// <summary>The answer failed after its stream had started (the status line is already sent): the problem, to end the stream with.</summary>
public sealed record AnswerFailedEvent(ApiProblem Problem) : AnswerEvent;
