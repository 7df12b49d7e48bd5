using System.Globalization;
using System.Text;

namespace Ragtune.Testing.Loopback;

/// <summary>Answers as the Azure OpenAI embeddings API does: one embedding per input, in order, with usage.</summary>
public static class EmbeddingResponses
{
    /// <summary>Answers every embeddings request with unit vectors of <paramref name="dimensions"/> (the first component 1).</summary>
    public static Func<RecordedRequest, LoopbackResponse> Healthy(int dimensions) => request =>
    {
        var inputs = request.Json.GetProperty("input").GetArrayLength();
        var vector = "[1" + string.Concat(Enumerable.Repeat(",0", dimensions - 1)) + "]";
        var body = new StringBuilder("""{"object":"list","data":[""");
        for (var i = 0; i < inputs; i++)
        {
            body.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""{"object":"embedding","index":{{i}},"embedding":{{vector}}}""");
        }

        body.Append(CultureInfo.InvariantCulture, $$$"""],"model":"text-embedding-3-small","usage":{"prompt_tokens":{{{inputs}}},"total_tokens":{{{inputs}}}}}""");
        return LoopbackResponse.Json(body.ToString());
    };

    /// <summary>The inputs of an embeddings request.</summary>
    public static IReadOnlyList<string> Inputs(RecordedRequest request) =>
        [.. request.Json.GetProperty("input").EnumerateArray().Select(i => i.GetString()!)];

    public static bool IsEmbeddings(RecordedRequest request) => request.Path.EndsWith("/embeddings", StringComparison.Ordinal);
}
