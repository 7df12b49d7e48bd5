using Ragtune.Core.Api;

namespace Ragtune.Core.Answering;

/// <summary>
/// The question and its numbered sources, passed beside the prompt in <c>ChatOptions.AdditionalProperties</c>
/// under <see cref="PropertyName"/>. Generative chat clients ignore it (it is never sent over the wire); the
/// extractive answerer composes its answer from it instead of parsing the prompt.
/// </summary>
/// <param name="Question">The question as asked.</param>
/// <param name="Sources">The numbered sources.</param>
/// <param name="QuestionVector">The question's embedding when retrieval searched the question as asked; empty otherwise.</param>
public sealed record GroundingContext(string Question, IReadOnlyList<Citation> Sources, ReadOnlyMemory<float> QuestionVector = default)
{
    public const string PropertyName = "ragtune.grounding";
}
