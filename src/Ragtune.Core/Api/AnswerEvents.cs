using System.Text;
using System.Text.Json;
using Ragtune.Core.Answering;

namespace Ragtune.Core.Api;

/// <summary>
/// Writes a streamed answer as server-sent events (<c>text/event-stream</c>), the same on both hosts:
/// <c>citations</c> (<c>{"citations":[...]}</c>), then <c>delta</c> events (<c>{"text":"..."}</c>), then <c>done</c>
/// with the same body as the JSON answer. A failure after the stream has started ends it with an <c>error</c> event
/// holding the Problem Details (the status line is already sent).
/// </summary>
public static class AnswerEvents
{
    public const string ContentType = "text/event-stream";

    /// <summary>
    /// Runs the stream until the answer itself begins (its first text, or the whole answer), holding back the
    /// citations that come before it, so that a failure before anything is written can still be answered with its own
    /// status code: a chat service that is throttling (429) or timing out (504) fails before its first token, after
    /// retrieval has already produced the citations. Returns the whole stream (held events included) or the problem;
    /// exceptions that are not dependency failures propagate.
    /// </summary>
    public static async Task<(IAsyncEnumerable<AnswerEvent>? Events, ApiProblem? Problem)> BeginAsync(
        IAsyncEnumerable<AnswerEvent> events, CancellationToken cancellationToken = default)
    {
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

    public static async Task WriteAsync(Stream output, IAsyncEnumerable<AnswerEvent> events, Func<Exception, ApiProblem> toProblem, CancellationToken cancellationToken = default)
    {
        await using var enumerator = events.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            AnswerEvent current;
            try
            {
                if (!await enumerator.MoveNextAsync())
                {
                    return;
                }

                current = enumerator.Current;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var problem = toProblem(exception);
                await WriteEventAsync(output, "error", problem.ToBody(), cancellationToken);
                return;
            }

            object data = current switch
            {
                CitationsEvent citations => new { citations.Citations },
                DeltaEvent delta => new { delta.Text },
                DoneEvent done => done.Response,
                _ => throw new InvalidOperationException($"Unknown answer event {current.GetType().Name}."),
            };
            await WriteEventAsync(output, current.Name, data, cancellationToken);
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

    private static async Task WriteEventAsync(Stream output, string name, object data, CancellationToken cancellationToken)
    {
        // JSON never contains a raw newline, so each event is one data line.
        var text = $"event: {name}\ndata: {JsonSerializer.Serialize(data, RagtuneJson.Options)}\n\n";
        await output.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await output.FlushAsync(cancellationToken);
    }
}
