using System.Text.Json;
using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.OpenAI.FineTuning;

/// <summary>Reads the API's <c>fine_tuning.job</c> and <c>fine_tuning.job.event</c> objects.</summary>
internal static class FineTuningJobs
{
    /// <summary>The metadata key that names the run a job belongs to.</summary>
    public const string RunMetadata = "ragtune_run";

    public static FineTuningJob Read(JsonElement job)
    {
        TuningFailure? error = null;
        if (job.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object && Text(e, "message") is { } message)
        {
            error = new TuningFailure(Text(e, "code") ?? "job_failed", message);
        }

        string? runId = null;
        if (job.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            runId = Text(metadata, RunMetadata);
        }

        return new FineTuningJob(
            Text(job, "id") ?? throw new JsonException("A fine-tuning job without an id."),
            Text(job, "status") ?? throw new JsonException("A fine-tuning job without a status."),
            Text(job, "fine_tuned_model"),
            job.TryGetProperty("trained_tokens", out var tokens) && tokens.ValueKind == JsonValueKind.Number ? tokens.GetInt64() : null,
            error,
            Text(job, "training_file") ?? string.Empty,
            runId);
    }

    public static FineTuningJobEvent ReadEvent(JsonElement item) => new(
        item.TryGetProperty("created_at", out var at) && at.ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeSeconds(at.GetInt64()) : DateTimeOffset.UnixEpoch,
        Text(item, "level") ?? "info",
        Text(item, "message") ?? string.Empty);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
