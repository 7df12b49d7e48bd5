using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Http.Auth;
using Ragtune.Http.Streams;

namespace Ragtune.Http.OpenAI;

/// <summary>
/// OpenAI's chat completions under <c>/api/v1</c>, over the same Core operation as POST /api/ask: the caller's access
/// from <see cref="CallerAccess"/>, the conversation read as an ask (<see cref="ChatCompletionRequest"/>), and the answer
/// (or its events) translated into OpenAI's <c>chat.completion</c> (or <c>chat.completion.chunk</c> events). Errors take
/// OpenAI's shape (<see cref="OpenAIErrorResult"/>).
/// </summary>
public sealed class ChatCompletionsApi(RagtuneApi api, CallerAccess caller, TimeProvider time)
{
    /// <summary>POST /api/v1/chat/completions.</summary>
    public async Task<Results<Ok<ChatCompletion>, DataEventsResult, OpenAIErrorResult>> CreateAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        var read = await Conversation.ReadAsync<ChatCompletionRequest, ChatCompletionCall>(
            request, api, caller, body => body.Read(api.Limits), call => call.Conversation, cancellationToken);
        if (!read.Succeeded)
        {
            return new OpenAIErrorResult(read.Problem);
        }

        var (options, question) = read.Value;
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        if (!options.Stream)
        {
            var answer = await api.AskAsync(question, cancellationToken);
            return answer.Succeeded ? TypedResults.Ok(Completion(answer.Value, created)) : new OpenAIErrorResult(answer.Problem);
        }

        var (events, problem) = await StreamedAnswer.BeginAsync(api.AskStreamingAsync(question, cancellationToken), cancellationToken);
        return events is null
            ? new OpenAIErrorResult(problem!)
            : new DataEventsResult(Chunks(events, api.ChatModel, created, options.IncludeUsage, cancellationToken));
    }

    /// <summary>GET /api/v1/models: the chat model that answers, the one model this server has.</summary>
    public async Task<Results<Ok<ModelList>, OpenAIErrorResult>> ModelsAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scope = await caller.ScopeOfAsync(request, cancellationToken);
        return scope.Succeeded
            ? TypedResults.Ok(new ModelList([new ModelEntry(api.ChatModel, time.GetUtcNow().ToUnixTimeSeconds(), "ragtune")]))
            : new OpenAIErrorResult(scope.Problem);
    }

    /// <summary>An answer as a <c>chat.completion</c>.</summary>
    public static ChatCompletion Completion(AskResponse answer, long created)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return new ChatCompletion(
            answer.AnswerId,
            created,
            answer.Model,
            [new ChatCompletionChoice(0, new ChatCompletionAnswer(answer.Answer), "stop")],
            ChatCompletionUsage.Of(answer.Usage),
            RagtuneExtension.Of(answer));
    }

    /// <summary>
    /// An answer's events as the data of <c>chat.completion.chunk</c> events: the role first, a chunk per piece of text,
    /// then the chunk with <c>finish_reason</c> and the <c>ragtune</c> extension, the usage chunk (no choices) when asked,
    /// and <c>[DONE]</c>. A failure on the way ends the stream with OpenAI's error object, as OpenAI's own streams do.
    /// </summary>
    public static async IAsyncEnumerable<string> Chunks(
        IAsyncEnumerable<AnswerEvent> events, string model, long created, bool includeUsage, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var id = string.Empty;
        await foreach (var answerEvent in StreamedAnswer.EndingInFailure(events, cancellationToken))
        {
            switch (answerEvent)
            {
                case CitationsEvent citations:
                    id = citations.AnswerId;
                    yield return Json(Chunk(id, created, model, new ChatCompletionDelta("assistant", string.Empty), null));
                    break;
                case DeltaEvent delta:
                    yield return Json(Chunk(id, created, model, new ChatCompletionDelta(Content: delta.Text), null));
                    break;
                case DoneEvent done:
                    yield return Json(Chunk(done.Response.AnswerId, created, done.Response.Model, new ChatCompletionDelta(), "stop") with { Ragtune = RagtuneExtension.Of(done.Response) });
                    if (includeUsage)
                    {
                        yield return Json(new ChatCompletionChunk(done.Response.AnswerId, created, done.Response.Model, []) { Usage = ChatCompletionUsage.Of(done.Response.Usage) });
                    }

                    yield return DataEventsResult.Done;
                    break;
                case AnswerFailedEvent failed:
                    yield return Json(OpenAIErrorResult.Of(failed.Problem));
                    break;
            }
        }
    }

    private static ChatCompletionChunk Chunk(string id, long created, string model, ChatCompletionDelta delta, string? finishReason) =>
        new(id, created, model, [new ChatCompletionChunkChoice(0, delta, finishReason)]);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, RagtuneJson.Options);
}
