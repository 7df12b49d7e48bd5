using Ragtune.Core.Api;

namespace Ragtune.Core.Answering;

/// <summary>An event of a streamed answer: citations first, then text deltas, then the whole answer.</summary>
public abstract record AnswerEvent;

/// <summary>
/// The answer's id (the same as <see cref="AskResponse.AnswerId"/>, given first so that a stream can name its answer from
/// the start) and the chunks given to the model, before any text.
/// </summary>
public sealed record CitationsEvent(string AnswerId, IReadOnlyList<Citation> Citations) : AnswerEvent;

/// <summary>The next piece of the answer's text.</summary>
public sealed record DeltaEvent(string Text) : AnswerEvent;

/// <summary>The complete answer: the same body as the JSON response.</summary>
public sealed record DoneEvent(AskResponse Response) : AnswerEvent;
