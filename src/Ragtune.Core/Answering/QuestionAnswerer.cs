using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.Api;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Core.Retrieval;

namespace Ragtune.Core.Answering;

/// <summary>
/// Answers a question from the documents: rewrite a follow-up into a standalone query, retrieve the chunks that pass
/// the similarity threshold, build the prompt within the model's budget, ask the chat model, and record the
/// interaction. When no chunk passes the threshold the answer says the documents do not cover the question and the
/// chat model is not called.
/// </summary>
public sealed class QuestionAnswerer(
    Retriever retriever,
    QueryRewriter rewriter,
    PromptBuilder prompts,
    IChatClient chat,
    ChatModelProfile chatModel,
    IInteractionStore interactions,
    IOptions<AnswerOptions> options,
    TimeProvider time,
    ILogger<QuestionAnswerer> logger)
{
    private readonly AnswerOptions _options = options.Value;

    /// <summary>Answers in one piece.</summary>
    public async Task<AskResponse> AskAsync(QuestionRequest request, CancellationToken cancellationToken = default)
    {
        AskResponse? response = null;
        await foreach (var answerEvent in AskStreamingAsync(request, cancellationToken))
        {
            if (answerEvent is DoneEvent done)
            {
                response = done.Response;
            }
        }

        return response ?? throw new InvalidOperationException("The answer stream ended without an answer.");
    }

    /// <summary>Answers as a stream: the citations, the text as the model writes it, then the whole answer.</summary>
    public async IAsyncEnumerable<AnswerEvent> AskStreamingAsync(
        QuestionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var answerId = Ulid.New(time);
        var searchQuery = await rewriter.RewriteAsync(request.Question, request.History, cancellationToken);
        var retrieval = await retriever.RetrieveAsync(
            new RetrievalRequest(searchQuery, request.Mode, request.Top, request.MinSimilarity, request.Filter), cancellationToken);
        var prompt = prompts.Build(request.Question, request.History, retrieval.Chunks);
        var retrievalTime = Stopwatch.GetElapsedTime(started);
        yield return new CitationsEvent(answerId, prompt.Context);

        var generationStarted = Stopwatch.GetTimestamp();
        var grounded = prompt.Context.Count > 0;

        // The model that answers: the active one when tuning can promote models (the chat pipeline names it on each update).
        // The hosts register the selecting client as the pipeline itself; asking the client (GetService) is not needed.
        var selector = chat as ActiveModelChatClient;
        var model = selector is null ? chatModel.ModelId : (await selector.SelectAsync(cancellationToken)).Model;
        var text = new StringBuilder();
        var usage = TokenUsage.None;
        if (!grounded)
        {
            text.Append(_options.NotGroundedAnswer);
            yield return new DeltaEvent(_options.NotGroundedAnswer);
        }
        else
        {
            var chatOptions = new ChatOptions
            {
                MaxOutputTokens = _options.MaxOutputTokens,
                AdditionalProperties = new() { [GroundingContext.PropertyName] = new GroundingContext(request.Question, prompt.Context) },
            };
            UsageDetails? reported = null;
            await foreach (var update in chat.GetStreamingResponseAsync(prompt.Messages, chatOptions, cancellationToken))
            {
                reported = update.Contents.OfType<UsageContent>().LastOrDefault()?.Details ?? reported;
                model = selector is not null && update.ModelId is { } answeredBy ? answeredBy : model;
                if (!string.IsNullOrEmpty(update.Text))
                {
                    text.Append(update.Text);
                    yield return new DeltaEvent(update.Text);
                }
            }

            usage = new TokenUsage(
                reported?.InputTokenCount ?? prompt.InputTokens,
                reported?.OutputTokenCount ?? chatModel.Tokenizer.CountTokens(text.ToString()));
        }

        var timings = new AnswerTimings((long)retrievalTime.TotalMilliseconds, (long)Stopwatch.GetElapsedTime(generationStarted).TotalMilliseconds);
        var response = new AskResponse(answerId, text.ToString(), grounded, prompt.Context, model, usage, timings);
        await interactions.RecordAsync(
            new Interaction(
                response.AnswerId,
                time.GetUtcNow(),
                request.Question,
                request.History,
                searchQuery,
                request.Mode,
                retrieval.MinSimilarity,
                prompt.Context,
                [.. prompt.Messages.Select(m => new PromptMessage(m.Role.Value, m.Text))],
                prompt.Version,
                model,
                response.Answer,
                grounded,
                usage,
                timings,
                request.Filter.Access.Groups),
            cancellationToken);
        Log.Answered(logger, response.AnswerId, grounded, prompt.Context.Count, timings.RetrievalMs, timings.GenerationMs);
        yield return new DoneEvent(response);
    }
}
