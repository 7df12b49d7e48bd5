namespace Ragtune.Testing.Loopback;

/// <summary>What a <see cref="LoopbackServer"/> does with one request, described as data so a failing test shows it.</summary>
public sealed record LoopbackResponse
{
    public int Status { get; init; } = 200;

    public string? ContentType { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The body, written and flushed piece by piece (one piece per server-sent event, say).</summary>
    public IReadOnlyList<string> Body { get; init; } = [];

    /// <summary>How long the server waits before it answers at all.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>How long the server waits between two pieces of the body.</summary>
    public TimeSpan BodyInterval { get; init; }

    public LoopbackFault Fault { get; init; }

    /// <summary>A JSON body, as given (the caller owns the wire format's naming).</summary>
    public static LoopbackResponse Json(string json, int status = 200) =>
        new() { Status = status, ContentType = "application/json", Body = [json] };

    /// <summary>A status code with no body.</summary>
    public static LoopbackResponse Empty(int status) => new() { Status = status };

    /// <summary>Server-sent events: each item is one event's data, written as <c>data: ITEM</c> and flushed at once.</summary>
    public static LoopbackResponse EventStream(IEnumerable<string> data) =>
        new() { ContentType = "text/event-stream", Body = [.. data.Select(d => $"data: {d}\n\n")] };

    /// <summary>Never answers: holds the request until the client gives up (or the server stops).</summary>
    public static LoopbackResponse Hang() => new() { Fault = LoopbackFault.Hang };

    /// <summary>Closes the connection without any response, as a crashed server or a reset would.</summary>
    public static LoopbackResponse DropConnection() => new() { Fault = LoopbackFault.DropConnection };

    /// <summary>This response cut off after its body: a stream that breaks off mid-answer.</summary>
    public LoopbackResponse ThenDropConnection() => this with { Fault = LoopbackFault.DropAfterBody };

    /// <summary>This response stalled after its body: a stream that stops mid-answer and never ends.</summary>
    public LoopbackResponse ThenHang() => this with { Fault = LoopbackFault.HangAfterBody };

    public LoopbackResponse WithHeader(string name, string value) => this with { Headers = [.. Headers, new(name, value)] };

    public override string ToString() =>
        Fault is LoopbackFault.Hang or LoopbackFault.DropConnection ? Fault.ToString() : $"{Status} {ContentType} ({Body.Count} pieces{string.Concat(Headers.Select(h => $", {h.Key}: {h.Value}"))}){(Fault == LoopbackFault.None ? "" : ", " + Fault)}";
}

/// <summary>A way for a <see cref="LoopbackServer"/> to fail other than with a status code.</summary>
public enum LoopbackFault
{
    None,

    /// <summary>Read the request and never answer.</summary>
    Hang,

    /// <summary>Abort the connection before the status line.</summary>
    DropConnection,

    /// <summary>Send the status line and the body, then close the connection without ending the response.</summary>
    DropAfterBody,

    /// <summary>Send the status line and the body, then neither end the response nor close the connection.</summary>
    HangAfterBody,
}
