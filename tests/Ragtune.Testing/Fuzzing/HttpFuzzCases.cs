using System.Text;

namespace Ragtune.Testing.Fuzzing;

/// <summary>
/// Malformed and random requests to every endpoint of the HTTP API (../shared/design/http-api.md), the front-end
/// protocols included, the same for both hosts: hand-written cases for each kind of bad input, then seeded random bytes and random mutations of valid
/// bodies. A host passes when <see cref="HttpFuzzVerdict.Judge"/> finds nothing wrong with any answer and the host
/// still answers a valid request afterwards.
/// </summary>
public static class HttpFuzzCases
{
    public const string Ask = "/api/ask";
    public const string Feedback = "/api/feedback";
    public const string Documents = "/api/documents";
    public const string Health = "/api/health";
    public const string ChatCompletions = "/api/v1/chat/completions";
    public const string Models = "/api/v1/models";
    public const string Chat = "/api/chat";

    private const string Json = "application/json";

    /// <summary>Bytes that change what JSON means, for <see cref="Mutate"/> to insert.</summary>
    private static readonly byte[] JsonPunctuation = "{}[]\",:\\0-eE.9"u8.ToArray();

    /// <summary>Valid bodies that the random mutations start from.</summary>
    private static readonly (string Path, string Body)[] Seeds =
    [
        (Ask, """{"question":"When does the office open?","history":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}],"top":5,"minSimilarity":0.3,"mode":"hybrid","filter":{"sources":["*.md"]}}"""),
        (Feedback, """{"answerId":"01JDQ7Z9X1A2B3C4D5E6F7G8H9","rating":"down","correction":"Nine.","comment":"Wrong hour."}"""),
        (ChatCompletions, """{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello [1]."},{"role":"user","content":[{"type":"text","text":"When does the office open?"}]}],"stream":false,"stream_options":{"include_usage":true},"n":1,"max_tokens":50,"temperature":0.2,"user":"u1"}"""),
        (Chat, """{"id":"c1","messages":[{"id":"m1","role":"user","parts":[{"type":"text","text":"Hi"}]},{"id":"m2","role":"assistant","parts":[{"type":"step-start"},{"type":"text","text":"Hello"}]},{"id":"m3","role":"user","parts":[{"type":"text","text":"When does the office open?"}]}],"trigger":"submit-message"}"""),
    ];

    /// <summary>Every case: the hand-written ones, then <paramref name="randomPerEndpoint"/> random ones per POST endpoint.</summary>
    public static IReadOnlyList<FuzzRequest> Generate(int seed = 8, int randomPerEndpoint = 40)
    {
        var cases = new List<FuzzRequest>();
        cases.AddRange(HandWritten());
        var random = new Random(seed);
        foreach (var (path, body) in Seeds)
        {
            for (var i = 0; i < randomPerEndpoint; i++)
            {
                cases.Add(Post($"{path} mutated #{i}", path, Mutate(Encoding.UTF8.GetBytes(body), random)));
                cases.Add(Post($"{path} random bytes #{i}", path, RandomBytes(random, random.Next(0, 4096))));
                cases.Add(Post($"{path} random JSON #{i}", path, Encoding.UTF8.GetBytes(RandomJson(random, depth: 0))));
            }
        }

        for (var i = 0; i < randomPerEndpoint / 4; i++)
        {
            var principal = Convert.ToBase64String(RandomBytes(random, random.Next(1, 512)));
            cases.Add(new FuzzRequest($"{Documents} random principal #{i}", "GET", Documents, null, null, Headers(("x-ms-client-principal", principal))));
        }

        return cases;
    }

    private static IEnumerable<FuzzRequest> HandWritten()
    {
        foreach (var path in new[] { Ask, Feedback, ChatCompletions, Chat })
        {
            yield return Post($"{path} empty body", path, []);
            yield return Post($"{path} whitespace", path, "  \r\n\t "u8.ToArray());
            yield return Post($"{path} null", path, "null"u8.ToArray());
            yield return Post($"{path} array", path, "[]"u8.ToArray());
            yield return Post($"{path} number", path, "42"u8.ToArray());
            yield return Post($"{path} string", path, "\"question\""u8.ToArray());
            yield return Post($"{path} open brace", path, "{"u8.ToArray());
            yield return Post($"{path} trailing garbage", path, "{}garbage"u8.ToArray());
            yield return Post($"{path} nested arrays 100000 deep", path, Encoding.ASCII.GetBytes(new string('[', 100_000)));
            yield return Post($"{path} nested objects 5000 deep", path, Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000)));
            yield return Post($"{path} invalid UTF-8", path, [.. "{\"question\":\""u8, 0xFF, 0xFE, 0xC3, 0x28, .. "\"}"u8]);
            yield return Post($"{path} lone surrogate", path, "{\"question\":\"\\ud800 is it?\",\"answerId\":\"\\udfff\"}"u8.ToArray());
            yield return Post($"{path} NUL characters", path, "{\"question\":\"\\u0000\\u0000?\",\"answerId\":\"\\u0000\",\"rating\":\"up\\u0000\"}"u8.ToArray());
            yield return Post($"{path} byte-order mark", path, [0xEF, 0xBB, 0xBF, .. "{\"question\":\"When?\"}"u8]);
            yield return Post($"{path} UTF-16", path, Encoding.Unicode.GetBytes("{\"question\":\"When?\"}"), "application/json; charset=utf-16");
            yield return Post($"{path} huge number", path, "{\"top\":1e400,\"minSimilarity\":-1e400,\"rating\":1e400}"u8.ToArray());
            yield return Post($"{path} integer overflow", path, "{\"question\":\"When?\",\"top\":99999999999999999999999}"u8.ToArray());
            yield return Post($"{path} duplicate keys", path, "{\"question\":\"a?\",\"question\":\"b?\",\"rating\":\"up\",\"rating\":\"down\"}"u8.ToArray());
            yield return Post($"{path} 100 KB key", path, Encoding.ASCII.GetBytes($"{{\"{new string('k', 100_000)}\":1}}"));
            yield return Post($"{path} 10000 unknown properties", path, Encoding.ASCII.GetBytes("{" + string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"\"p{i}\":{i}")) + "}"));
            yield return Post($"{path} no content type", path, "{\"question\":\"When?\"}"u8.ToArray(), contentType: null);
            yield return Post($"{path} XML", path, "<question>When?</question>"u8.ToArray(), "application/xml");
            yield return Post($"{path} gzip claimed, plain sent", path, "{\"question\":\"When?\"}"u8.ToArray(), headers: Headers(("Content-Encoding", "gzip")));
            yield return Post($"{path} 300 KB body", path, Encoding.ASCII.GetBytes($"{{\"question\":\"{new string('q', 300_000)}\"}}"));
            yield return Post($"{path} 2 MB body", path, Encoding.ASCII.GetBytes($"{{\"question\":\"{new string('q', 2_000_000)}\"}}"));
        }

        foreach (var (body, i) in new[]
        {
            "{\"question\":[\"When?\"]}", "{\"question\":{\"text\":\"When?\"}}", "{\"question\":true}",
            "{\"question\":\"When?\",\"history\":{}}", "{\"question\":\"When?\",\"history\":[null]}", "{\"question\":\"When?\",\"history\":[1,2]}",
            "{\"question\":\"When?\",\"history\":[{\"role\":null,\"content\":null}]}", "{\"question\":\"When?\",\"history\":[{\"role\":\"tool\",\"content\":\"x\"}]}",
            "{\"question\":\"When?\",\"top\":-1}", "{\"question\":\"When?\",\"top\":1.5}", "{\"question\":\"When?\",\"top\":\"5\"}", "{\"question\":\"When?\",\"top\":null}",
            "{\"question\":\"When?\",\"minSimilarity\":\"NaN\"}", "{\"question\":\"When?\",\"minSimilarity\":-0.5}", "{\"question\":\"When?\",\"mode\":42}",
            "{\"question\":\"When?\",\"mode\":\"HYBRID\"}", "{\"question\":\"When?\",\"filter\":\"*.md\"}", "{\"question\":\"When?\",\"filter\":{\"sources\":null}}",
            "{\"question\":\"When?\",\"filter\":{\"sources\":[null]}}", "{\"question\":\"When?\",\"filter\":{\"sources\":[\"[\"]}}",
            "{\"question\":\"When?\",\"filter\":{\"sources\":[\"**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/*a*a*a*a*a*a*a*a*a*a*a*a*b\"]}}",
            "{\"question\":\"When?\",\"filter\":{\"sources\":[\"../../../etc/passwd\"]}}",
            "{\"question\":\"' OR 1=1; DROP TABLE chunks; --\"}", "{\"question\":\"\\\"NEAR AND OR NOT * ^ : ( ) {}\"}", "{\"question\":\"*\"}",
            "{\"question\":\"When?\",\"history\":" + "[" + string.Join(',', Enumerable.Repeat("{\"role\":\"user\",\"content\":\"x\"}", 1000)) + "]}",
        }.Select((body, i) => (body, i)))
        {
            yield return Post($"{Ask} field #{i} {body[..Math.Min(body.Length, 60)]}", Ask, Encoding.UTF8.GetBytes(body));
        }

        foreach (var (body, i) in new[]
        {
            "{\"answerId\":\"01JDQ7Z9X1A2B3C4D5E6F7G8H9\"}", "{\"answerId\":\"01JDQ7Z9X1A2B3C4D5E6F7G8H9\",\"rating\":\"UP\"}",
            "{\"answerId\":\"01JDQ7Z9X1A2B3C4D5E6F7G8H9\",\"rating\":1}", "{\"answerId\":\"' OR 1=1 --\",\"rating\":\"up\"}",
            "{\"answerId\":\"UUUUUUUUUUUUUUUUUUUUUUUUUU\",\"rating\":\"up\"}", "{\"answerId\":\"ZZZZZZZZZZZZZZZZZZZZZZZZZZ\",\"rating\":\"up\"}",
            "{\"answerId\":\"01JDQ7Z9X1A2B3C4D5E6F7G8H9\",\"rating\":\"up\",\"correction\":\"x\"}", "{\"answerId\":123,\"rating\":\"up\"}",
            "{\"answerId\":\"01JDQ7Z9X1A2B3C4D5E6F7G8H9\",\"rating\":\"down\",\"correction\":[\"x\"]}",
            "{\"answerId\":\"01JDQ7Z9X1A2B3C4D5E6F7G8H9\",\"rating\":\"down\",\"comment\":{}}",
        }.Select((body, i) => (body, i)))
        {
            yield return Post($"{Feedback} field #{i} {body[..Math.Min(body.Length, 60)]}", Feedback, Encoding.UTF8.GetBytes(body));
        }

        foreach (var (body, i) in new[]
        {
            "{\"messages\":null}", "{\"messages\":{}}", "{\"messages\":[null]}", "{\"messages\":[1]}", "{\"messages\":[{}]}",
            "{\"messages\":[{\"role\":\"user\"}]}", "{\"messages\":[{\"role\":\"user\",\"content\":42}]}", "{\"messages\":[{\"role\":\"user\",\"content\":{}}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":[null,1,{},{\"type\":7},{\"type\":\"text\"},{\"type\":\"text\",\"text\":[]}]}]}",
            "{\"messages\":[{\"role\":\"USER\",\"content\":\"Hi\"}]}", "{\"messages\":[{\"role\":\"system\",\"content\":\"Hi\"}]}",
            "{\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"x\"}]},{\"role\":\"user\",\"content\":\"Hi\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":\"yes\"}", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"n\":0}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"n\":1e10}", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tools\":{}}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"tool_choice\":{\"type\":\"function\"}}", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"response_format\":\"text\"}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream_options\":[]}", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"modalities\":[null]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('q', 3000) + "\"}]}",
            "{\"messages\":[" + string.Join(',', Enumerable.Repeat("{\"role\":\"user\",\"content\":\"x\"}", 2000)) + "]}",
        }.Select((body, i) => (body, i)))
        {
            yield return Post($"{ChatCompletions} field #{i} {body[..Math.Min(body.Length, 60)]}", ChatCompletions, Encoding.UTF8.GetBytes(body));
        }

        foreach (var (body, i) in new[]
        {
            "{\"messages\":null}", "{\"messages\":[null]}", "{\"messages\":[{\"role\":\"user\"}]}", "{\"messages\":[{\"role\":\"user\",\"parts\":null}]}",
            "{\"messages\":[{\"role\":\"user\",\"parts\":[null,{},{\"type\":\"text\"}]}]}", "{\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":5}]}]}",
            "{\"messages\":[{\"role\":\"user\",\"parts\":[{\"type\":\"file\",\"url\":\"data:,x\",\"mediaType\":\"text/plain\"}]}]}",
            "{\"messages\":[{\"role\":\"tool\",\"parts\":[{\"type\":\"text\",\"text\":\"Hi\"}]}]}", "{\"messages\":[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"text\":\"Hi\"}]}]}",
            "{\"id\":[],\"trigger\":{},\"messages\":[{\"id\":1,\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"text\":\"Hi\"}]}]}",
        }.Select((body, i) => (body, i)))
        {
            yield return Post($"{Chat} field #{i} {body[..Math.Min(body.Length, 60)]}", Chat, Encoding.UTF8.GetBytes(body));
        }

        var valid = "{\"question\":\"When does the office open?\"}"u8.ToArray();
        yield return Post($"{Ask} streaming, malformed", Ask, "{\"question\":"u8.ToArray(), headers: Headers(("Accept", "text/event-stream")));
        yield return Post($"{Ask} odd Accept", Ask, valid, headers: Headers(("Accept", "text/event-stream;q=abc, */*;;;")));
        foreach (var (principal, i) in new[] { "%%%not base64%%%", Convert.ToBase64String("not json"u8), Convert.ToBase64String("{\"claims\":42}"u8),
            Convert.ToBase64String("{\"claims\":[{\"typ\":\"groups\",\"val\":42},null,{\"typ\":null}]}"u8), Convert.ToBase64String(new byte[15_000]) }.Select((principal, i) => (principal, i)))
        {
            // A header over the host's limit (32 KB on Kestrel) is refused by the web server before the API sees it.
            yield return Post($"{Ask} principal #{i}", Ask, valid, headers: Headers(("x-ms-client-principal", principal)));
            yield return new FuzzRequest($"{Documents} principal #{i}", "GET", Documents, null, null, Headers(("x-ms-client-principal", principal)));
            yield return new FuzzRequest($"{Models} principal #{i}", "GET", Models, null, null, Headers(("x-ms-client-principal", principal)));
        }

        foreach (var (method, path) in new[]
        {
            ("GET", Ask), ("PUT", Ask), ("DELETE", Feedback), ("PATCH", Documents), ("POST", Documents), ("POST", Health),
            ("GET", "/api/documents?top=-1&groups=board"), ("GET", "/api/documents/../../etc/passwd"), ("GET", "/api/%00"), ("GET", "/api/" + new string('a', 4000)),
            ("OPTIONS", Ask), ("HEAD", Health), ("TRACE", Health),
            ("GET", ChatCompletions), ("PUT", ChatCompletions), ("POST", Models), ("DELETE", Models), ("GET", Chat), ("GET", "/api/v1/nothing"), ("POST", "/api/v1/completions"),
        })
        {
            yield return new FuzzRequest($"{method} {path[..Math.Min(path.Length, 40)]}", method, path, null, null, Headers());
        }
    }

    private static FuzzRequest Post(string name, string path, byte[] body, string? contentType = Json, IReadOnlyDictionary<string, string>? headers = null) =>
        new(name, "POST", path, contentType, body, headers ?? Headers());

    private static Dictionary<string, string> Headers(params (string Name, string Value)[] headers) =>
        headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A valid body with a few bytes flipped, dropped, repeated or inserted.</summary>
    private static byte[] Mutate(byte[] body, Random random)
    {
        var bytes = new List<byte>(body);
        for (var edits = random.Next(1, 8); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(bytes.Count - at, random.Next(1, 64)))); break;
                default: bytes.Insert(at, JsonPunctuation[random.Next(JsonPunctuation.Length)]); break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Well-formed JSON of random shape, with the API's property names mixed in.</summary>
    private static string RandomJson(Random random, int depth)
    {
        string[] names = ["question", "history", "top", "minSimilarity", "mode", "filter", "sources", "role", "content", "answerId", "rating", "correction", "comment",
            "messages", "parts", "type", "text", "model", "stream", "n", "tools", "response_format"];
        return (depth > 4 ? random.Next(4) : random.Next(7)) switch
        {
            0 => random.Next(-1000, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            1 => $"\"{new string((char)random.Next(32, 0x2FFF), random.Next(0, 40)).Replace("\\", "/", StringComparison.Ordinal).Replace("\"", "'", StringComparison.Ordinal)}\"",
            2 => random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" },
            3 => (random.NextDouble() * 4 - 2).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            4 or 5 => "{" + string.Join(',', Enumerable.Range(0, random.Next(0, 6)).Select(_ => $"\"{names[random.Next(names.Length)]}\":{RandomJson(random, depth + 1)}")) + "}",
            _ => "[" + string.Join(',', Enumerable.Range(0, random.Next(0, 6)).Select(_ => RandomJson(random, depth + 1))) + "]",
        };
    }
}
