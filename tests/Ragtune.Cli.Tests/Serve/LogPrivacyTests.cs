using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Ragtune.Testing.Loopback;
using Ragtune.Testing;
using Ragtune.Testing.Logging;
using Ragtune.Testing.Telemetry;
using Ragtune.Core.Telemetry;

namespace Ragtune.Cli.Tests.Serve;

/// <summary>
/// Everything <c>ragtune serve</c> logs at Information and above, every span (of any source: Ragtune's, the GenAI
/// clients', ASP.NET Core's, HttpClient's) and every metric tag while it ingests, answers (as JSON, as a stream, and
/// failing), takes feedback and lists documents, with a chat service that needs a key: no key, caller token, question,
/// document text, answer, correction or comment is in any log entry (message, values or exception), span name, tag,
/// event or metric tag value.
/// </summary>
public sealed class LogPrivacyTests : IAsyncLifetime
{
    private const string ApiKey = "sk-ragtune-test-7Qx2mZ9vLk3pW8rT";
    private const string DocumentText = "Zephyrine cells keep eighty-three percent of their capacity after the Brackwater winter test.";
    private const string LaterDocumentText = "Sassafras racks hold twelve bicycles by the Ollerby gate.";
    private const string Question = "How much capacity do Zephyrine cells keep after the Brackwater test?";
    private const string Answer = "They keep Pellucid eighty-three percent [1].";
    private const string Correction = "Marjoramite correction of the answer.";
    private const string Comment = "Oleandrous comment about the answer.";

    private readonly CapturingLoggerProvider _logs = new(LogLevel.Information);
    private readonly SpanCapture _spans = new(_ => true);
    private readonly MeasurementCapture _measurements = new();
    private readonly string _principal = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"claims\":[{\"typ\":\"groups\",\"val\":\"grp-Tamarisk\"}],\"userId\":\"uid-Quenby\"}"));
    private ServeOverLoopbackChat _serve = null!;

    public async Task InitializeAsync()
    {
        _serve = await ServeOverLoopbackChat.StartAsync(
            ("cells.md", $"# Cells\n\n{DocumentText}\n"),
            _logs,
            "--Logging:LogLevel:Default=Information",
            $"--Ragtune:Chat:ApiKey={ApiKey}",
            "--Ragtune:Chat:Timeout=00:00:02",
            "--Ragtune:Chat:MaxRetries=1",
            "--Ragtune:Chat:MaxRetryDelay=00:00:01",
            "--Ragtune:Auth:TrustClientPrincipalHeader=true",
            "--Ragtune:Documents:Debounce=00:00:00.300");
        _serve.Client.DefaultRequestHeaders.Add("x-ms-client-principal", _principal);
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        _spans.Dispose();
        _measurements.Dispose();
    }

    [Fact]
    public async Task LogsSpansAndMetricTags_HoldNoSecretQuestionDocumentTextOrFeedbackText()
    {
        // The question with history is first rewritten (one plain completion), then answered (streamed).
        _serve.Chat.Respond(request => request.Json.TryGetProperty("stream", out var stream) && stream.GetBoolean()
            ? OpenAIResponses.ChatCompletionStream([Answer], promptTokens: 40, completionTokens: 9)
            : OpenAIResponses.ChatCompletion($"Zephyrine capacity after the Brackwater test", promptTokens: 30, completionTokens: 8));
        using (var json = await _serve.Client.PostAsJsonAsync("/api/ask", new { question = Question, history = new[] { new { role = "user", content = Question } } }))
        {
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
            var answerId = (await json.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("answerId").GetString();
            using var feedback = await _serve.Client.PostAsJsonAsync("/api/feedback", new { answerId, rating = "down", correction = Correction, comment = Comment });
            Assert.Equal(HttpStatusCode.Accepted, feedback.StatusCode);
        }

        using (var stream = new HttpRequestMessage(HttpMethod.Post, "/api/ask") { Content = JsonContent.Create(new { question = Question }) })
        {
            stream.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var response = await _serve.Client.SendAsync(stream);
            Assert.Contains("Pellucid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        _serve.Chat.Respond(_ => OpenAIResponses.Error(500, "server_error", $"The model choked on: {Question}"));
        using (var failing = await _serve.Client.PostAsJsonAsync("/api/ask", new { question = Question }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        }

        _serve.Documents.WriteFile("racks.md", $"# Racks\n\n{LaterDocumentText}\n");
        _serve.Documents.WriteFile("broken.pdf", Encoding.UTF8.GetBytes($"%PDF-1.7 {DocumentText}"));
        await Eventually.HoldsAsync(
            async () =>
            {
                var body = await _serve.Client.GetStringAsync(new Uri("/api/documents", UriKind.Relative));
                return body.Contains("racks.md", StringComparison.Ordinal) && body.Contains("broken.pdf", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(90),
            "the later documents are ingested");

        var entries = _logs.Entries;
        Assert.Contains(entries, e => e.Category.StartsWith("Ragtune.", StringComparison.Ordinal) && e.Level == LogLevel.Information);
        Assert.Contains(entries, e => e.Level >= LogLevel.Warning);
        string[] secrets = [ApiKey, _principal, "Tamarisk", "Quenby", Question, "Zephyrine", "Brackwater", "Sassafras", "Ollerby", "Pellucid", "Marjoramite", "Oleandrous"];
        foreach (var entry in entries)
        {
            foreach (var secret in secrets)
            {
                Assert.False(entry.Text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"'{secret}' is in a log entry ({entry.Category} {entry.Level} {entry.EventId}): {entry.Text}");
            }
        }

        // Spans and measurements are process-wide: other tests' are heard too, and hold none of these words either.
        var spans = _spans.Ended;
        Assert.Contains(spans, span => span.OperationName == RagtuneTelemetry.Spans.Ask);
        Assert.Contains(spans, span => span.OperationName == RagtuneTelemetry.Spans.Ingest);
        Assert.Contains(spans, span => span.Source.Name == RagtuneTelemetry.GenAISourceName && span.GetTagItem("gen_ai.operation.name") is "chat");
        foreach (var span in spans)
        {
            foreach (var text in SpanText.Of(span))
            {
                foreach (var secret in secrets)
                {
                    Assert.False(text.Contains(secret, StringComparison.OrdinalIgnoreCase), $"'{secret}' is in a span ({span.Source.Name} {span.OperationName}): {text}");
                }
            }
        }

        var measurements = _measurements.Measurements;
        Assert.Contains(measurements, m => m.Meter == RagtuneTelemetry.Name && m.Instrument == "ragtune.answers");
        Assert.Contains(measurements, m => m.Meter == RagtuneTelemetry.Name && m.Instrument == "ragtune.documents.failed");
        foreach (var (meter, instrument, tags) in measurements)
        {
            foreach (var tag in tags)
            {
                foreach (var secret in secrets)
                {
                    Assert.False(tag.Contains(secret, StringComparison.OrdinalIgnoreCase), $"'{secret}' is in a tag of {meter} {instrument}: {tag}");
                }
            }
        }
    }
}
