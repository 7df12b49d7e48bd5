using System.Diagnostics;
using Ragtune.Core.Index;

namespace Ragtune.Core.Telemetry;

/// <summary>
/// Ragtune's traces: one <see cref="ActivitySource"/> named <see cref="Name"/> (its metrics are <see cref="RagtuneMetrics"/>,
/// on a meter of the same name), the names of its spans and of their tags. A trace per ask (<see cref="Spans.Ask"/> with
/// retrieve, generate, record), per ingested document (<see cref="Spans.Ingest"/> with read, chunk, embed, write) and
/// per export. Hosts export them with OpenTelemetry: <see cref="ActivitySourceNames"/> and <see cref="MeterNames"/> are
/// what to listen to, Ragtune's own and Microsoft.Extensions.AI's GenAI client telemetry.
/// </summary>
/// <remarks>
/// No span name, tag or event holds a question, prompt, document text, answer, correction, token, source path or the
/// caller's identity or groups: ids (answer, document), counts, modes, outcomes and reason codes only. A failed span
/// says what failed by the exception's type (<c>error.type</c>), never by its message, which can name a path.
/// </remarks>
public static class RagtuneTelemetry
{
    /// <summary>The name of Ragtune's activity source and meter.</summary>
    public const string Name = "Ragtune";

    /// <summary>
    /// The activity source and meter of Microsoft.Extensions.AI's OpenTelemetry chat client and embedding generator
    /// (GenAI semantic conventions: model, token counts), which the hosts wrap around their providers.
    /// </summary>
    public const string GenAISourceName = "Experimental.Microsoft.Extensions.AI";

    /// <summary>Every activity source whose spans a host exports.</summary>
    public static IReadOnlyList<string> ActivitySourceNames { get; } = [Name, GenAISourceName];

    /// <summary>Every meter whose metrics a host exports.</summary>
    public static IReadOnlyList<string> MeterNames { get; } = [Name, GenAISourceName];

    internal static ActivitySource Source { get; } = new(Name, typeof(RagtuneTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// Starts a span as a child of <paramref name="parent"/> when there is one (explicitly: an async iterator loses
    /// <see cref="Activity.Current"/> at every <c>yield</c>), else of the current span. Null when nobody listens.
    /// </summary>
    internal static Activity? StartSpan(string name, Activity? parent = null) =>
        parent is null ? Source.StartActivity(name) : Source.StartActivity(name, ActivityKind.Internal, parent.Context);

    /// <summary>
    /// Marks the span failed by the exception's type. Returns false, so that it can stand in an exception filter
    /// (<c>catch (Exception e) when (RecordFailure(span, e))</c>), which runs before the failing scope's spans end.
    /// </summary>
    internal static bool RecordFailure(Activity? span, Exception exception)
    {
        if (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error);
            span.SetTag(Tags.ErrorType, exception.GetType().FullName);
        }

        return false;
    }

    /// <summary>The mode as a tag value: <c>vector</c>, <c>keyword</c> or <c>hybrid</c>.</summary>
    internal static string TagValue(this SearchMode mode) => mode switch
    {
        SearchMode.Vector => "vector",
        SearchMode.Keyword => "keyword",
        _ => "hybrid",
    };

    /// <summary>Span names.</summary>
    public static class Spans
    {
        /// <summary>One question answered: the root of retrieve, generate and record.</summary>
        public const string Ask = "ragtune.ask";

        /// <summary>The follow-up rewritten, the question embedded, the index searched, the prompt built.</summary>
        public const string Retrieve = "ragtune.retrieve";

        /// <summary>The chat model's answer (or the fixed answer when nothing passed the threshold).</summary>
        public const string Generate = "ragtune.generate";

        /// <summary>The interaction recorded with its exact context.</summary>
        public const string Record = "ragtune.record";

        /// <summary>One document ingested: the root of read, chunk, embed and write.</summary>
        public const string Ingest = "ragtune.ingest";

        /// <summary>The source opened and its content hashed.</summary>
        public const string Read = "ragtune.ingest.read";

        /// <summary>A batch of chunks cut from the document's text (its reader extracts the text as it goes).</summary>
        public const string Chunk = "ragtune.ingest.chunk";

        /// <summary>A batch's new chunks embedded.</summary>
        public const string Embed = "ragtune.ingest.embed";

        /// <summary>A batch written to the index, or the index's replacement of the document committed.</summary>
        public const string Write = "ragtune.ingest.write";

        /// <summary>A fine-tune export run.</summary>
        public const string Export = "ragtune.export";
    }

    /// <summary>Tag (attribute) names, on spans and metrics.</summary>
    public static class Tags
    {
        /// <summary>The OpenTelemetry convention for what failed: the exception's full type name.</summary>
        public const string ErrorType = "error.type";

        /// <summary>The answer's id (the one a rating names).</summary>
        public const string AnswerId = "ragtune.answer.id";

        /// <summary>Whether any chunk passed the threshold (true or false).</summary>
        public const string Grounded = "ragtune.answer.grounded";

        /// <summary><c>vector</c>, <c>keyword</c> or <c>hybrid</c>.</summary>
        public const string SearchMode = "ragtune.search.mode";

        /// <summary>Chunks in the answer's context (cited).</summary>
        public const string ContextChunks = "ragtune.answer.context_chunks";

        /// <summary>The chat model's id, as configured.</summary>
        public const string Model = "gen_ai.request.model";

        /// <summary><c>input</c> or <c>output</c> (the GenAI convention's token type).</summary>
        public const string TokenType = "gen_ai.token.type";

        /// <summary>The GenAI convention's input token count.</summary>
        public const string InputTokens = "gen_ai.usage.input_tokens";

        /// <summary>The GenAI convention's output token count.</summary>
        public const string OutputTokens = "gen_ai.usage.output_tokens";

        /// <summary>The document's id (a hash of its source path; never the path).</summary>
        public const string DocumentId = "ragtune.document.id";

        /// <summary>How an ingestion ended: <c>indexed</c>, <c>unchanged</c>, <c>permanent_failure</c>, <c>transient_failure</c>.</summary>
        public const string Outcome = "ragtune.ingestion.outcome";

        /// <summary>
        /// Why a document failed: a read failure (<c>corrupt</c>, <c>encrypted</c>, <c>too_large</c>...), a dependency's
        /// (<c>embeddings_throttled</c>, <c>search_unavailable</c>...), or the exception's type name.
        /// </summary>
        public const string Reason = "ragtune.ingestion.reason";

        /// <summary>Chunks in a batch or a document.</summary>
        public const string Chunks = "ragtune.chunks";

        /// <summary>Chunks that needed a new embedding.</summary>
        public const string EmbeddedChunks = "ragtune.chunks.embedded";

        /// <summary>What an export run did: <c>exported</c>, <c>up_to_date</c>, <c>nothing_rated</c>.</summary>
        public const string ExportOutcome = "ragtune.export.outcome";

        /// <summary>The export's name (its date and id).</summary>
        public const string ExportName = "ragtune.export.name";

        /// <summary>Rated answers the export read.</summary>
        public const string RatedInteractions = "ragtune.export.rated_interactions";
    }
}
