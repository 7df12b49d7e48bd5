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
using Ragtune.Core.Telemetry;

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
    RagtuneMetrics metrics,
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

    /// <summary>
    /// Answers as a stream: the citations, the text as the model writes it, then the whole answer. Traced as a span
    /// <see cref="RagtuneTelemetry.Spans.Ask"/> (retrieve, generate, record) and counted in <see cref="RagtuneMetrics"/>.
    /// </summary>
    public async IAsyncEnumerable<AnswerEvent> AskStreamingAsync(
        QuestionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        using var ask = RagtuneTelemetry.StartSpan(RagtuneTelemetry.Spans.Ask);
        ask?.SetTag(RagtuneTelemetry.Tags.SearchMode, request.Mode.TagValue());
        await using var events = AnswerAsync(request, ask, started, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            // An iterator cannot yield inside a try with a catch: each step is taken inside one, the event yielded outside.
            try
            {
                if (!await events.MoveNextAsync())
                {
                    break;
                }
            }
            catch (Exception exception)
            {
                RagtuneTelemetry.RecordFailure(ask, exception);
                metrics.AskFailed(request.Mode, exception, Stopwatch.GetElapsedTime(started));
                throw;
            }

            yield return events.Current;
        }
    }

    /// <summary>The answer's steps, each a child span of <paramref name="ask"/> (named as its parent: a yield loses the current span).</summary>
    private async IAsyncEnumerable<AnswerEvent> AnswerAsync(
        QuestionRequest request, Activity? ask, long started, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var answerId = Ulid.New(time);
        var (searchQuery, retrieval, prompt) = await RetrieveAsync(request, ask, cancellationToken);
        var retrievalTime = Stopwatch.GetElapsedTime(started);
        yield return new CitationsEvent(answerId, prompt.Context);

        var generationStarted = Stopwatch.GetTimestamp();
        var grounded = prompt.Context.Count > 0;

        // The model that answers: the active one when tuning can promote models (the chat pipeline names it on each update).
        // The selecting client may sit under the hosts' telemetry client, so the pipeline is asked for it; only when the
        // chat model is called at all (an answer with no context calls nothing and is the configured model's).
        var selector = grounded ? chat as ActiveModelChatClient ?? chat.GetService<ActiveModelChatClient>() : null;
        var model = selector is null ? chatModel.ModelId : (await selector.SelectAsync(cancellationToken)).Model;
        var text = new StringBuilder();
        var usage = TokenUsage.None;
        using (var generate = RagtuneTelemetry.StartSpan(RagtuneTelemetry.Spans.Generate, ask))
        {
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
                    AdditionalProperties = new()
                    {
                        // The question's vector goes along when the search was the question itself, so it is not embedded again.
                        [GroundingContext.PropertyName] = new GroundingContext(
                            request.Question, prompt.Context, searchQuery == request.Question ? retrieval.QueryVector : default),
                    },
                };
                UsageDetails? reported = null;

                // The chat client's first step runs here, under the generate span, which its own span takes as parent.
                await using var updates = chat.GetStreamingResponseAsync(prompt.Messages, chatOptions, cancellationToken).GetAsyncEnumerator(cancellationToken);
                while (await NextAsync(updates, generate))
                {
                    var update = updates.Current;
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

            generate?.SetTag(RagtuneTelemetry.Tags.Model, model);
            generate?.SetTag(RagtuneTelemetry.Tags.InputTokens, usage.InputTokens);
            generate?.SetTag(RagtuneTelemetry.Tags.OutputTokens, usage.OutputTokens);
        }

        var generationTime = Stopwatch.GetElapsedTime(generationStarted);
        var timings = new AnswerTimings((long)retrievalTime.TotalMilliseconds, (long)generationTime.TotalMilliseconds);
        var response = new AskResponse(answerId, text.ToString(), grounded, prompt.Context, model, usage, timings);
        ask?.SetTag(RagtuneTelemetry.Tags.AnswerId, response.AnswerId);
        ask?.SetTag(RagtuneTelemetry.Tags.Grounded, grounded);
        using (var record = RagtuneTelemetry.StartSpan(RagtuneTelemetry.Spans.Record, ask))
        {
            try
            {
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
            }
            catch (Exception exception) when (RagtuneTelemetry.RecordFailure(record, exception))
            {
                throw;
            }
        }

        Log.Answered(logger, response.AnswerId, grounded, prompt.Context.Count, timings.RetrievalMs, timings.GenerationMs);
        metrics.Answered(request.Mode, grounded, model, usage, retrievalTime, generationTime, Stopwatch.GetElapsedTime(started));
        yield return new DoneEvent(response);
    }

    /// <summary>Rewrites a follow-up, retrieves the chunks that pass the threshold and builds the prompt, in the retrieve span.</summary>
    private async Task<(string SearchQuery, RetrievalResult Retrieval, Prompt Prompt)> RetrieveAsync(
        QuestionRequest request, Activity? ask, CancellationToken cancellationToken)
    {
        using var retrieve = RagtuneTelemetry.StartSpan(RagtuneTelemetry.Spans.Retrieve, ask);
        try
        {
            var searchQuery = await rewriter.RewriteAsync(request.Question, request.History, cancellationToken);
            var retrieval = await retriever.RetrieveAsync(
                new RetrievalRequest(searchQuery, request.Mode, request.Top, request.MinSimilarity, request.Filter), cancellationToken);
            var prompt = prompts.Build(request.Question, request.History, retrieval.Chunks);
            retrieve?.SetTag(RagtuneTelemetry.Tags.ContextChunks, prompt.Context.Count);
            return (searchQuery, retrieval, prompt);
        }
        catch (Exception exception) when (RagtuneTelemetry.RecordFailure(retrieve, exception))
        {
            throw;
        }
    }

    /// <summary>The chat client's next update; a failure marks the generate span before it goes on.</summary>
    private static async Task<bool> NextAsync(IAsyncEnumerator<ChatResponseUpdate> updates, Activity? generate)
    {
        try
        {
            return await updates.MoveNextAsync();
        }
        catch (Exception exception) when (RagtuneTelemetry.RecordFailure(generate, exception))
        {
            throw;
        }
    }
}
