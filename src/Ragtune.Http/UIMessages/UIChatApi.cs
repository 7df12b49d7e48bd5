using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Http.Auth;
using Ragtune.Http.Streams;

namespace Ragtune.Http.UIMessages;

/// <summary>
/// POST /api/chat for the AI SDK's <c>useChat</c>, over the same Core operation as POST /api/ask: the caller's access from
/// <see cref="CallerAccess"/>, the UI messages read as an ask (<see cref="UIChatRequest"/>), and the answer's events sent
/// as the AI SDK's UI message stream (<c>x-vercel-ai-ui-message-stream: v1</c>). Errors before the stream are Problem
/// Details; after it started, an <c>error</c> part.
/// </summary>
public sealed class UIChatApi(RagtuneApi api, CallerAccess caller)
{
    /// <summary>The header that tells the AI SDK the response is its UI message stream.</summary>
    public static readonly KeyValuePair<string, string> StreamHeader = new("x-vercel-ai-ui-message-stream", "v1");

    /// <summary>POST /api/chat.</summary>
    public async Task<Results<DataEventsResult, ProblemResult<AskProblems>>> ChatAsync(HttpRequest request, CancellationToken cancellationToken = default)
    {
        var read = await Conversation.ReadAsync<UIChatRequest, Conversation>(
            request, api, caller, body => body.Read(api.Limits), conversation => conversation, cancellationToken);
        if (!read.Succeeded)
        {
            return (ProblemResult<AskProblems>)read.Problem;
        }

        var (events, problem) = await StreamedAnswer.BeginAsync(api.AskStreamingAsync(read.Value.Question, cancellationToken), cancellationToken);
        return events is null ? (ProblemResult<AskProblems>)problem! : new DataEventsResult(Chunks(events, cancellationToken), StreamHeader);
    }

    /// <summary>
    /// An answer's events as UI message chunks: <c>start</c> (the message id is the answer's id, also in the message
    /// metadata as <c>answerId</c>), a <c>source-document</c> per citation (title and file name the source's, the citation
    /// as POST /api/ask gives it in <c>providerMetadata.ragtune</c>), <c>text-start</c>, a <c>text-delta</c> per piece,
    /// <c>text-end</c>, <c>finish</c> (metadata: <c>answerId</c>, <c>grounded</c>, <c>model</c>), then <c>[DONE]</c>. A failure
    /// on the way is an <c>error</c> part, then <c>[DONE]</c>.
    /// </summary>
    public static async IAsyncEnumerable<string> Chunks(IAsyncEnumerable<AnswerEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var textId = string.Empty;
        await foreach (var answerEvent in StreamedAnswer.EndingInFailure(events, cancellationToken))
        {
            switch (answerEvent)
            {
                case CitationsEvent citations:
                    textId = $"{citations.AnswerId}-text";
                    yield return Json(new { type = "start", messageId = citations.AnswerId, messageMetadata = new { answerId = citations.AnswerId } });
                    foreach (var citation in citations.Citations)
                    {
                        yield return Json(new
                        {
                            type = "source-document",
                            sourceId = citation.ChunkId,
                            mediaType = MediaTypeOf(citation.Source),
                            title = citation.Source,
                            filename = Path.GetFileName(citation.Source),
                            providerMetadata = new { ragtune = citation },
                        });
                    }

                    yield return Json(new { type = "text-start", id = textId });
                    break;
                case DeltaEvent delta:
                    yield return Json(new { type = "text-delta", id = textId, delta = delta.Text });
                    break;
                case DoneEvent done:
                    yield return Json(new { type = "text-end", id = textId });
                    var metadata = new { answerId = done.Response.AnswerId, grounded = done.Response.Grounded, model = done.Response.Model };
                    yield return Json(new { type = "finish", finishReason = "stop", messageMetadata = metadata });
                    yield return DataEventsResult.Done;
                    break;
                case AnswerFailedEvent failed:
                    yield return Json(new { type = "error", errorText = failed.Problem.Detail });
                    yield return DataEventsResult.Done;
                    break;
            }
        }
    }

    /// <summary>The media type of a document by its extension, as the readers know them.</summary>
    private static string MediaTypeOf(string source) => Path.GetExtension(source).ToUpperInvariant() switch
    {
        ".PDF" => "application/pdf",
        ".MD" or ".MARKDOWN" => "text/markdown",
        ".HTML" or ".HTM" => "text/html",
        ".DOCX" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "text/plain",
    };

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, RagtuneJson.Options);
}
