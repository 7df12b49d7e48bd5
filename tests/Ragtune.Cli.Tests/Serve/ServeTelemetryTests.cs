using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Ragtune.Core.Telemetry;
using Ragtune.Testing;
using Ragtune.Testing.Loopback;
using Ragtune.Testing.Telemetry;

namespace Ragtune.Cli.Tests.Serve;

/// <summary>
/// <c>ragtune serve</c>'s traces and metrics: an ask's span with its steps and the chat model's GenAI client span, and
/// OTLP export to a loopback OTLP/HTTP receiver only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public sealed class ServeTelemetryTests
{
    internal const string Document = "# Cells\n\nLithium cells keep eighty-three percent of their capacity after the winter test.\n";
    private const string Question = "How much capacity do the cells keep after the winter test?";

    [Fact]
    public async Task Ask_IsTracedAsRetrieveGenerateRecord_WithTheEmbeddingAndChatGenAISpansCarryingModelAndTokens()
    {
        using var spans = new SpanCapture();
        await using var serve = await ServeOverLoopbackChat.StartAsync(("cells.md", Document), null);
        serve.Chat.Respond(_ => OpenAIResponses.ChatCompletionStream(["They keep eighty-three percent [1]."], promptTokens: 40, completionTokens: 9));

        var answerId = await AskAsync(serve);

        var ask = Assert.Single(spans.Ended, span => span.OperationName == RagtuneTelemetry.Spans.Ask && Equals(span.GetTagItem(RagtuneTelemetry.Tags.AnswerId), answerId));
        Assert.Equal(true, ask.GetTagItem(RagtuneTelemetry.Tags.Grounded));
        var steps = spans.ChildrenOf(ask);
        Assert.Equal([RagtuneTelemetry.Spans.Retrieve, RagtuneTelemetry.Spans.Generate, RagtuneTelemetry.Spans.Record], steps.Select(span => span.OperationName));

        var embedding = Assert.Single(spans.ChildrenOf(steps[0]), span => span.Source.Name == RagtuneTelemetry.GenAISourceName);
        Assert.Equal("embeddings", embedding.GetTagItem("gen_ai.operation.name"));
        var chat = Assert.Single(spans.ChildrenOf(steps[1]));
        Assert.Equal(RagtuneTelemetry.GenAISourceName, chat.Source.Name);
        Assert.Equal(ActivityKind.Client, chat.Kind);
        Assert.Equal("chat", chat.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(ServeWithChatProviderFixture.Model, chat.GetTagItem("gen_ai.request.model"));
        Assert.Equal(40, chat.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(9, chat.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal((40L, 9L), ((long)steps[1].GetTagItem(RagtuneTelemetry.Tags.InputTokens)!, (long)steps[1].GetTagItem(RagtuneTelemetry.Tags.OutputTokens)!));
    }

    [Fact]
    public async Task OtlpEndpointNotSet_NoOpenTelemetrySdkIsComposed()
    {
        await using var serve = await ServeOverLoopbackChat.StartAsync(
            ("cells.md", Document), null, "--OTEL_EXPORTER_OTLP_ENDPOINT=", "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf");
        serve.Chat.Respond(_ => OpenAIResponses.ChatCompletionStream(["They keep eighty-three percent [1]."], promptTokens: 40, completionTokens: 9));

        await AskAsync(serve);

        Assert.Null(serve.Services.GetService<TracerProvider>());
        Assert.Null(serve.Services.GetService<MeterProvider>());
    }

    internal static async Task<string> AskAsync(ServeOverLoopbackChat serve)
    {
        using var response = await serve.Client.PostAsJsonAsync("/api/ask", new { question = Question });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("answerId").GetString()!;
    }
}

/// <summary>
/// OTLP export from <c>ragtune serve</c>, alone in the process: meters are process-wide, and another test's server
/// that stops meanwhile disposes a meter of the same name, which the SDK then stops exporting.
/// </summary>
[CollectionDefinition(nameof(ServeOtlpExportTests), DisableParallelization = true)]
[Collection(nameof(ServeOtlpExportTests))]
public sealed class ServeOtlpExportTests
{
    [Fact]
    public async Task OtlpEndpointSet_TracesAndMetricsArePostedToItOverHttpProtobuf()
    {
        await using var collector = await LoopbackServer.StartAsync();
        collector.Respond(_ => LoopbackResponse.Empty(200));
        await using var serve = await ServeOverLoopbackChat.StartAsync(
            ("cells.md", ServeTelemetryTests.Document),
            null,
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={collector.BaseAddress.ToString().TrimEnd('/')}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_BSP_SCHEDULE_DELAY=100",
            "--OTEL_METRIC_EXPORT_INTERVAL=200");
        serve.Chat.Respond(_ => OpenAIResponses.ChatCompletionStream(["They keep eighty-three percent [1]."], promptTokens: 40, completionTokens: 9));

        await ServeTelemetryTests.AskAsync(serve);

        await WaitForPostAsync(collector, "/v1/traces", RagtuneTelemetry.Spans.Ask);
        await WaitForPostAsync(collector, "/v1/metrics", "ragtune.answers");
        Assert.All(collector.Requests, request => Assert.Equal("application/x-protobuf", request.Header("Content-Type")));
    }

    /// <summary>Waits for a post to <paramref name="path"/> that holds <paramref name="text"/> (protobuf keeps names as UTF-8).</summary>
    private static async Task WaitForPostAsync(LoopbackServer collector, string path, string text)
    {
        try
        {
            await Eventually.HoldsAsync(
                () => collector.Requests.Any(request => request.Method == "POST" && request.Path == path && request.Body.Contains(text, StringComparison.Ordinal)),
                TimeSpan.FromSeconds(60),
                $"a post to {path} with {text}");
        }
        catch (TimeoutException timeout)
        {
            var names = collector.Requests.Where(request => request.Path == path)
                .SelectMany(request => System.Text.RegularExpressions.Regex.Matches(request.Body, "[A-Za-z_]+(\\.[A-Za-z_]+)+").Select(match => match.Value))
                .Distinct(StringComparer.Ordinal);
            throw new TimeoutException($"{timeout.Message}; {collector.Requests.Count} posts, the names posted to {path}: {string.Join(", ", names)}", timeout);
        }
    }
}
