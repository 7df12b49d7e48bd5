using Ragtune.Core.Api;

namespace Ragtune.Core.Answering;

/// <summary>An event of a streamed answer: citations first, then text deltas, then the whole answer.</summary>
public abstract record AnswerEvent
{
    /// <summary>The server-sent event name: <c>citations</c>, <c>delta</c> or <c>done</c>.</summary>
    public abstract string Name { get; }
}

/// <summary>The chunks given to the model, before any text.</summary>
public sealed record CitationsEvent(IReadOnlyList<Citation> Citations) : AnswerEvent
{
    public override string Name => "citations";
}

/// <summary>The next piece of the answer's text.</summary>
public sealed record DeltaEvent(string Text) : AnswerEvent
{
    public override string Name => "delta";
}

/// <summary>The complete answer: the same body as the JSON response.</summary>
public sealed record DoneEvent(AskResponse Response) : AnswerEvent
{
    public override string Name => "done";
}
