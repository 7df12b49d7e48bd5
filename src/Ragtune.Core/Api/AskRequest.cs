using Ragtune.Core.Answering;
using Ragtune.Core.Index;
using Ragtune.Core.Retrieval;

namespace Ragtune.Core.Api;

/// <summary>The body of POST /api/ask. Only <see cref="Question"/> is required.</summary>
public sealed record AskRequest(
    string? Question,
    IReadOnlyList<AskHistoryTurn?>? History = null,
    int? Top = null,
    float? MinSimilarity = null,
    string? Mode = null,
    AskFilter? Filter = null)
{
    /// <summary>
    /// Checks the request against the limits and turns it into a question for <see cref="QuestionAnswerer"/>; the
    /// caller's access scope comes from the host's authentication, never from the body.
    /// </summary>
    public ApiResult<QuestionRequest> Validate(ApiLimitsOptions limits, RetrievalOptions defaults, AccessScope access)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var question = Question?.Trim();
        if (string.IsNullOrEmpty(question))
        {
            errors["question"] = ["A question is required."];
        }
        else if (question.Length > limits.MaxQuestionLength)
        {
            errors["question"] = [$"The question may be at most {limits.MaxQuestionLength} characters."];
        }

        var history = new List<ChatTurn>();
        if (History is { Count: var count } && count > limits.MaxHistoryTurns)
        {
            errors["history"] = [$"At most {limits.MaxHistoryTurns} history turns are accepted."];
        }
        else
        {
            for (var i = 0; i < (History?.Count ?? 0); i++)
            {
                var turn = History![i];
                if (turn?.Role is not (ChatTurn.User or ChatTurn.Assistant))
                {
                    errors[$"history[{i}].role"] = ["The role must be 'user' or 'assistant'."];
                }
                else if (string.IsNullOrWhiteSpace(turn.Content) || turn.Content.Length > limits.MaxHistoryTurnLength)
                {
                    errors[$"history[{i}].content"] = [$"The content must be 1 to {limits.MaxHistoryTurnLength} characters."];
                }
                else
                {
                    history.Add(new ChatTurn(turn.Role, turn.Content));
                }
            }
        }

        if (Top is { } top && (top < 1 || top > limits.MaxTop))
        {
            errors["top"] = [$"top must be between 1 and {limits.MaxTop}."];
        }

        if (MinSimilarity is { } minSimilarity && (float.IsNaN(minSimilarity) || minSimilarity < -1 || minSimilarity > 1))
        {
            errors["minSimilarity"] = ["minSimilarity must be between -1 and 1."];
        }

        var mode = defaults.DefaultMode;
        if (Mode is not null && !TryParseMode(Mode, out mode))
        {
            errors["mode"] = ["mode must be 'vector', 'keyword' or 'hybrid'."];
        }

        var sources = Filter?.Sources ?? [];
        if (sources.Count > limits.MaxSourcePatterns || sources.Any(s => string.IsNullOrWhiteSpace(s) || s.Length > SourceGlob.MaxPatternLength))
        {
            // The glob's own limit, checked here once, so no pattern the request accepts is refused by the search.
            errors["filter.sources"] = [$"At most {limits.MaxSourcePatterns} source patterns of 1 to {SourceGlob.MaxPatternLength} characters are accepted."];
        }

        if (errors.Count > 0)
        {
            return ApiProblem.InvalidRequest(string.Join(" ", errors.Values.SelectMany(e => e)), errors);
        }

        return new QuestionRequest(question!, history, mode, Top ?? defaults.DefaultTop, MinSimilarity, new ChunkFilter(access, [.. sources!]));
    }

    private static bool TryParseMode(string value, out SearchMode mode)
    {
        mode = value switch
        {
            "vector" => SearchMode.Vector,
            "keyword" => SearchMode.Keyword,
            "hybrid" => SearchMode.Hybrid,
            _ => (SearchMode)(-1),
        };
        return Enum.IsDefined(mode);
    }
}

/// <summary>A turn of <see cref="AskRequest.History"/>.</summary>
public sealed record AskHistoryTurn(string? Role, string? Content);

/// <summary>The <c>filter</c> of an ask request.</summary>
public sealed record AskFilter(IReadOnlyList<string>? Sources);
