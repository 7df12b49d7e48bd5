using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>How stores keep runs and model changes: one compact JSON record each (the store keeps the revision itself).</summary>
public static class TuningJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(TuningRun run) => JsonSerializer.Serialize(run with { Revision = 0 }, Options);

    /// <summary>The run of a stored record, with the store's revision.</summary>
    public static TuningRun DeserializeRun(string json, int revision) =>
        (JsonSerializer.Deserialize<TuningRun>(json, Options) ?? throw new InvalidDataException("A stored tuning run is empty.")) with { Revision = revision };

    public static string Serialize(ModelChange change) => JsonSerializer.Serialize(change, Options);

    public static ModelChange DeserializeChange(string json) =>
        JsonSerializer.Deserialize<ModelChange>(json, Options) ?? throw new InvalidDataException("A stored model change is empty.");
}
