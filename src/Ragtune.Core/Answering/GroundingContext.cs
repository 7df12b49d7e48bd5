using Ragtune.Core.Api;

namespace Ragtune.Core.Answering;

/// <summary>
/// The question and its numbered sources, passed beside the prompt in <c>ChatOptions.AdditionalProperties</c>
/// under <see cref="PropertyName"/>. Generative chat clients ignore it (it is never sent over the wire); the
/// extractive answerer composes its answer from it instead of parsing the prompt.
/// </summary>
public sealed record GroundingContext(string Question, IReadOnlyList<Citation> Sources)
{
    public const string PropertyName = "ragtune.grounding";
}
