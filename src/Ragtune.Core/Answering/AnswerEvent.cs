using Ragtune.Core.Api;

namespace Ragtune.Core.Answering;

/// <summary>An event of a streamed answer: citations first, then text deltas, then the whole answer.</summary>
public abstract record AnswerEvent;

/// <summary>The chunks given to the model, before any text.</summary>
public sealed record CitationsEvent(IReadOnlyList<Citation> Citations) : AnswerEvent;

/// <summary>The next piece of the answer's text.</summary>
public sealed record DeltaEvent(string Text) : AnswerEvent;

/// <summary>The complete answer: the same body as the JSON response.</summary>
public sealed record DoneEvent(AskResponse Response) : AnswerEvent;
