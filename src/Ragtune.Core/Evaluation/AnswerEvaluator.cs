using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ragtune.Core.Answering;
using Ragtune.Core.Index;
using Ragtune.Core.Retrieval;

namespace Ragtune.Core.Evaluation;

/// <summary>A question of a question-answering set and its reference answer, with the pages the reference cites.</summary>
/// <param name="Question">The question.</param>
/// <param name="Truth">The reference answer, citations included (<c>[file.pdf#page=7]</c>).</param>
/// <param name="Cited">The file names and 1-based pages the reference cites.</param>
public sealed record GroundTruthQuestion(string Question, string Truth, IReadOnlyList<CitedPage> Cited);

/// <summary>A page a reference answer cites: a file name (no folder) and a 1-based page.</summary>
public sealed record CitedPage(string File, int Page)
{
    /// <summary>
    /// True when <paramref name="chunk"/>'s text stands on this page of this file: a page from the one it starts on to the
    /// one it ends on, the pages its citation gives (<see cref="Api.Citation.Page"/> to <see cref="Api.Citation.LastPage"/>).
    /// </summary>
    public bool IsOn(IndexChunk chunk) => chunk.Covers(Page) && IsIn(chunk);

    /// <summary>True when <paramref name="chunk"/> starts on this page of this file (what was counted before chunks knew their last page).</summary>
    public bool IsStartOf(IndexChunk chunk) => Page == chunk.Page && IsIn(chunk);

    /// <summary>True when <paramref name="chunk"/> comes from this file (in any folder).</summary>
    public bool IsIn(IndexChunk chunk) => string.Equals(Path.GetFileName(chunk.Source), File, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Question answering measured end to end over a ground-truth file (one JSON object a line: <c>question</c>, <c>truth</c>,
/// the truth citing <c>file.pdf#page=N</c>): whether a cited page is among the top-k chunks the retriever keeps (the
/// threshold applies, as when answering), and the token F1 of the configured chat model's answer against the reference.
/// </summary>
public sealed partial class AnswerEvaluator(Retriever retriever, QuestionAnswerer answerer)
{
    /// <summary>The questions of a ground-truth file, in file order.</summary>
    public static async Task<IReadOnlyList<GroundTruthQuestion>> ReadGroundTruthAsync(string path, CancellationToken cancellationToken = default)
    {
        var questions = new List<GroundTruthQuestion>();
        var number = 0;
        await foreach (var line in File.ReadLinesAsync(path, cancellationToken))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var question = document.RootElement.GetProperty("question").GetString() ?? string.Empty;
                var truth = document.RootElement.GetProperty("truth").GetString() ?? string.Empty;
                var cited = CitationPattern().Matches(truth)
                    .Select(match => new CitedPage(match.Groups["file"].Value, int.Parse(match.Groups["page"].Value, CultureInfo.InvariantCulture)))
                    .Distinct()
                    .ToList();
                questions.Add(new GroundTruthQuestion(question, truth, cited));
            }
            catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path} line {number}: expected a JSON object with \"question\" and \"truth\" strings.", exception);
            }
        }

        return questions;
    }

    /// <summary>
    /// SQuAD's token F1: both texts lower-cased, citations (<c>[...]</c>), punctuation and the articles a, an, the
    /// removed, split on white space; F1 of the shared tokens (counted with multiplicity). 1 when both are empty.
    /// </summary>
    public static double TokenF1(string answer, string reference)
    {
        var predicted = Tokens(answer);
        var expected = Tokens(reference);
        if (predicted.Count == 0 || expected.Count == 0)
        {
            return predicted.Count == expected.Count ? 1 : 0;
        }

        var remaining = expected.GroupBy(token => token, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        var shared = 0;
        foreach (var token in predicted)
        {
            if (remaining.TryGetValue(token, out var count) && count > 0)
            {
                remaining[token] = count - 1;
                shared++;
            }
        }

        if (shared == 0)
        {
            return 0;
        }

        var precision = (double)shared / predicted.Count;
        var recall = (double)shared / expected.Count;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>Answers every question in <paramref name="mode"/> with at most <paramref name="k"/> chunks and scores the answers.</summary>
    public async Task<AnswerEvaluation> EvaluateAsync(
        IReadOnlyList<GroundTruthQuestion> questions, SearchMode mode, int k, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var results = new List<AnsweredQuestion>(questions.Count);
        var model = string.Empty;
        foreach (var question in questions)
        {
            var retrieval = await retriever.RetrieveAsync(
                new RetrievalRequest(question.Question, mode, k, MinSimilarity: null, ChunkFilter.Unrestricted), cancellationToken);
            var found = question.Cited.Count > 0 && retrieval.Chunks.Any(hit => question.Cited.Any(page => page.IsOn(hit.Chunk)));
            var answer = await answerer.AskAsync(
                new QuestionRequest(question.Question, [], mode, k, MinSimilarity: null, ChunkFilter.Unrestricted), cancellationToken);
            model = answer.Model;
            results.Add(new AnsweredQuestion(question, found, answer.Answer, TokenF1(answer.Answer, question.Truth)));
            progress?.Report(1);
        }

        var cited = results.Where(result => result.Question.Cited.Count > 0).ToList();
        return new AnswerEvaluation(
            mode,
            k,
            model,
            cited.Count == 0 ? 0 : (double)cited.Count(result => result.CitedPageFound) / cited.Count,
            results.Count == 0 ? 0 : results.Average(result => result.TokenF1),
            results);
    }

    private static List<string> Tokens(string text)
    {
        var plain = Punctuation().Replace(Citation().Replace(text.ToLowerInvariant(), " "), " ");
        return [.. plain.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Where(token => token is not ("a" or "an" or "the"))];
    }

    [GeneratedRegex(@"(?<file>[\w.-]+\.(?:pdf|md|docx|html|txt))#page=(?<page>\d+)")]
    private static partial Regex CitationPattern();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Citation();

    [GeneratedRegex(@"[\p{P}\p{S}]")]
    private static partial Regex Punctuation();
}

/// <summary>One mode's question-answering scores.</summary>
/// <param name="Mode">The search mode.</param>
/// <param name="K">Chunks retrieved (and given to the chat model) per question, at most.</param>
/// <param name="Model">The chat model that answered.</param>
/// <param name="CitedPageHitRate">The share of the questions citing a page whose cited page was among the kept chunks.</param>
/// <param name="MeanTokenF1">The mean token F1 of the answers against the references.</param>
/// <param name="Questions">Each question's outcome.</param>
public sealed record AnswerEvaluation(
    SearchMode Mode, int K, string Model, double CitedPageHitRate, double MeanTokenF1, IReadOnlyList<AnsweredQuestion> Questions);

/// <summary>One question's outcome: whether a cited page was retrieved, the answer, and its token F1.</summary>
public sealed record AnsweredQuestion(GroundTruthQuestion Question, bool CitedPageFound, string Answer, double TokenF1);
