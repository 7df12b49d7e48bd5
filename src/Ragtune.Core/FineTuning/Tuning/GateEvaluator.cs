using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Ragtune.Core.Evaluation;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// Has the active model and the candidate answer every validation example from its recorded prompt, exactly as given,
/// and scores each answer against the rated reference: token F1 and the embedding model's cosine, and, with
/// <see cref="GateOptions.Judge"/>, the active model's judgement of the two answers in both orders.
/// </summary>
public sealed class GateEvaluator(IEmbeddingGenerator<string, Embedding<float>> embeddings, IOptions<TuningOptions> options)
{
    private const string JudgeInstructions =
        "You compare two answers with a reference answer. Reply with one letter only: A if answer A agrees better with the "
        + "reference in its facts and meaning, B if answer B does, T if they agree equally well.";

    private readonly GateOptions _gate = options.Value.Gate;

    /// <summary>The scores of every example and the tokens spent; the gate decides on the scores.</summary>
    public async Task<GateEvaluation> EvaluateAsync(
        IReadOnlyList<ValidationExample> examples, IChatClient active, IChatClient candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var reports = new List<ExampleReport>(examples.Count);
        var (activeTokens, candidateTokens, judgeTokens) = (ChatTokens.None, ChatTokens.None, ChatTokens.None);
        var chatOptions = new ChatOptions { MaxOutputTokens = _gate.MaxOutputTokens };
        foreach (var example in examples)
        {
            var activeResponse = await active.GetResponseAsync(example.Prompt, chatOptions.Clone(), cancellationToken);
            var candidateResponse = await candidate.GetResponseAsync(example.Prompt, chatOptions.Clone(), cancellationToken);
            activeTokens = activeTokens.Add(activeResponse.Usage);
            candidateTokens = candidateTokens.Add(candidateResponse.Usage);
            var (activeAnswer, candidateAnswer) = (activeResponse.Text, candidateResponse.Text);

            var vectors = await embeddings.GenerateAsync([example.Reference, activeAnswer, candidateAnswer], cancellationToken: cancellationToken);
            double? judged = null;
            if (_gate.Judge)
            {
                (judged, var spent) = await JudgeAsync(active, example.Reference, activeAnswer, candidateAnswer, cancellationToken);
                judgeTokens = judgeTokens.Add(spent);
            }

            var activeScores = Score(activeAnswer, example.Reference, Cosine(vectors[0], vectors[1]), judged is { } j ? (1 - j) / 2 : null);
            var candidateScores = Score(candidateAnswer, example.Reference, Cosine(vectors[0], vectors[2]), judged is { } k ? (1 + k) / 2 : null);
            reports.Add(new ExampleReport(
                example.Line, example.Reference, activeAnswer, candidateAnswer, activeScores, candidateScores, candidateScores.Score - activeScores.Score));
        }

        return new GateEvaluation(reports, activeTokens, candidateTokens, judgeTokens);
    }

    private static ExampleScores Score(string answer, string reference, double cosine, double? judge)
    {
        var f1 = AnswerEvaluator.TokenF1(answer, reference);
        var score = judge is { } j ? (f1 + cosine + j) / 3 : (f1 + cosine) / 2;
        return new ExampleScores(f1, cosine, judge, score);
    }

    private static double Cosine(Embedding<float> a, Embedding<float> b) =>
        Math.Clamp(TensorPrimitives.CosineSimilarity(a.Vector.Span, b.Vector.Span), 0, 1);

    /// <summary>The candidate's preference from -1 (the active answer chosen in both orders) to 1 (the candidate's in both).</summary>
    private static async Task<(double Preference, UsageDetails Spent)> JudgeAsync(
        IChatClient judge, string reference, string activeAnswer, string candidateAnswer, CancellationToken cancellationToken)
    {
        var spent = new UsageDetails();
        var preference = 0.0;
        foreach (var candidateFirst in new[] { false, true })
        {
            var (a, b) = candidateFirst ? (candidateAnswer, activeAnswer) : (activeAnswer, candidateAnswer);
            var response = await judge.GetResponseAsync(
                [
                    new ChatMessage(ChatRole.System, JudgeInstructions),
                    new ChatMessage(ChatRole.User, $"Reference:\n{reference}\n\nAnswer A:\n{a}\n\nAnswer B:\n{b}"),
                ],
                new ChatOptions { MaxOutputTokens = 16, Temperature = 0 },
                cancellationToken);
            if (response.Usage is { } usage)
            {
                spent.Add(usage);
            }

            var choice = response.Text.Trim().TrimStart('*', '"', '\'').FirstOrDefault();
            var chosenCandidate = choice == (candidateFirst ? 'A' : 'B');
            var chosenActive = choice == (candidateFirst ? 'B' : 'A');
            preference += chosenCandidate ? 0.5 : chosenActive ? -0.5 : 0;
        }

        return (preference, spent);
    }
}

/// <summary>Every example's answers and scores, and the tokens each side spent.</summary>
public sealed record GateEvaluation(IReadOnlyList<ExampleReport> Examples, ChatTokens Active, ChatTokens Candidate, ChatTokens Judge)
{
    /// <summary>The paired scores the gate decides on.</summary>
    public IReadOnlyList<PairedScore> Scores => [.. Examples.Select(e => new PairedScore(e.Active.Score, e.Candidate.Score))];
}
