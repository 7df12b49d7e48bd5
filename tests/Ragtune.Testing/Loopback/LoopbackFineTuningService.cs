using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ragtune.Testing.Loopback;

/// <summary>
/// A fine-tuning service on a loopback port that keeps the documented wire formats: the OpenAI files API (multipart
/// upload with purpose <c>fine-tune</c>), fine-tuning jobs (create, get, list, events, cancel, with the statuses
/// <c>validating_files</c>, <c>queued</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>cancelled</c>), chat
/// completions by model id (OpenAI-compatible, under <c>/v1</c>) or by deployment (Azure OpenAI, under <c>/openai</c>),
/// and Azure Resource Manager's deployments (PUT, GET, DELETE with <c>provisioningState</c>). A request that breaks the
/// format gets 400 with what was wrong, so a client that drifts fails its test.
/// </summary>
/// <remarks>
/// A job moves one status on each GET through <see cref="JobScript"/>; a deployment is <c>Creating</c> for
/// <see cref="DeploymentLooks"/> GETs, then <c>Succeeded</c>. The models answer as <see cref="Answer"/> says.
/// </remarks>
public sealed partial class LoopbackFineTuningService : IAsyncDisposable
{
    public const string FineTunedModel = "ft:gpt-4.1-mini-2025-04-14:ragtune:ragtune:LB1";
    private const long Created = 1_767_225_600;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string FileName, string Content)> _files = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _jobs = [];
    private readonly Dictionary<string, int> _jobLooks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Model, string Sku, int Looks)> _deployments = new(StringComparer.Ordinal);
    private readonly Queue<LoopbackResponse> _faults = new();

    private LoopbackFineTuningService(LoopbackServer server)
    {
        Server = server;
        server.Respond(Handle);
    }

    public LoopbackServer Server { get; }

    /// <summary>The OpenAI-compatible base URL, <c>http://127.0.0.1:PORT/v1</c>.</summary>
    public Uri OpenAIBase => Server.Url("v1");

    /// <summary>The Azure OpenAI resource (and Azure Resource Manager), <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri AzureEndpoint => Server.BaseAddress;

    /// <summary>The statuses a new job reports, one per GET (the last one stays).</summary>
    public IReadOnlyList<string> JobScript { get; set; } = ["queued", "running", "succeeded"];

    /// <summary>The error of a job whose script reaches <c>failed</c>.</summary>
    public (string Code, string Message) JobError { get; set; } = ("invalid_training_file", "The training file has an example with no assistant message.");

    /// <summary>A file the service refuses to take: the upload answers 400 with this error.</summary>
    public (string Code, string Message)? RejectUploads { get; set; }

    /// <summary>GETs of a deployment that still report <c>Creating</c>.</summary>
    public int DeploymentLooks { get; set; } = 1;

    /// <summary>How a model (by id, or deployment on Azure) answers a conversation; by default every model says it does not know.</summary>
    public Func<string, IReadOnlyList<(string Role, string Content)>, string> Answer { get; set; } = (_, _) => "I do not know.";

    /// <summary>Jobs created, as the service holds them (request fields, status, metadata).</summary>
    public IReadOnlyList<JsonObject> Jobs
    {
        get
        {
            lock (_gate)
            {
                return [.. _jobs.Select(j => (JsonObject)j.DeepClone())];
            }
        }
    }

    /// <summary>Uploaded files by id: name and content.</summary>
    public IReadOnlyDictionary<string, (string FileName, string Content)> Files
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, (string, string)>(_files);
            }
        }
    }

    /// <summary>Deployments that exist now, by name: the model and SKU.</summary>
    public IReadOnlyDictionary<string, (string Model, string Sku)> Deployments
    {
        get
        {
            lock (_gate)
            {
                return _deployments.ToDictionary(d => d.Key, d => (d.Value.Model, d.Value.Sku));
            }
        }
    }

    public static async Task<LoopbackFineTuningService> StartAsync() => new(await LoopbackServer.StartAsync());

    /// <summary>The next <paramref name="count"/> requests of any kind get 429 with <c>Retry-After</c> (seconds) and an OpenAI error body.</summary>
    public void Throttle(int count, TimeSpan retryAfter)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(Error(429, "rate_limit_exceeded", "Too many requests.")
                    .WithHeader("Retry-After", ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture)));
            }
        }
    }

    /// <summary>Chat completion requests received, by the model or deployment they asked.</summary>
    public IReadOnlyList<string> ChatModels() =>
        [.. Server.Requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).Select(ModelOf)];

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private static string ModelOf(RecordedRequest request) =>
        request.Path.StartsWith("/openai/deployments/", StringComparison.Ordinal) ? request.Path.Split('/')[3] : request.Json.GetProperty("model").GetString()!;

    private LoopbackResponse Handle(RecordedRequest request)
    {
        lock (_gate)
        {
            if (_faults.TryDequeue(out var fault))
            {
                return fault;
            }

            if (DeploymentPath().Match(request.Path) is { Success: true } deployment)
            {
                return HandleDeployment(request, deployment.Groups[1].Value);
            }

            var path = request.Path.StartsWith("/openai/v1/", StringComparison.Ordinal) ? request.Path["/openai/v1".Length..]
                : request.Path.StartsWith("/v1/", StringComparison.Ordinal) ? request.Path["/v1".Length..]
                : request.Path;
            return (request.Method, path) switch
            {
                ("POST", "/files") => Upload(request),
                ("GET", var p) when p.StartsWith("/files/", StringComparison.Ordinal) => FileObject(p["/files/".Length..]),
                ("POST", "/fine_tuning/jobs") => CreateJob(request),
                ("GET", "/fine_tuning/jobs") => LoopbackResponse.Json(List(_jobs.AsEnumerable().Reverse().Select(j => j.DeepClone()))),
                ("GET", var p) when JobPath().Match(p) is { Success: true } job => GetJob(job.Groups[1].Value, job.Groups[2].Value),
                ("POST", var p) when p.EndsWith("/cancel", StringComparison.Ordinal) => Cancel(p.Split('/')[3]),
                ("POST", var p) when p.EndsWith("/chat/completions", StringComparison.Ordinal) => Chat(request),
                _ => Error(404, "not_found", $"LoopbackFineTuningService: no route for {request}"),
            };
        }
    }

    private LoopbackResponse Upload(RecordedRequest request)
    {
        var contentType = request.Header("Content-Type") ?? string.Empty;
        if (!contentType.StartsWith("multipart/form-data", StringComparison.Ordinal))
        {
            return Error(400, "invalid_request_error", $"Uploads are multipart/form-data, not '{contentType}'.");
        }

        var parts = Multipart.Parse(request.Body, contentType);
        if (!parts.TryGetValue("purpose", out var purpose) || purpose.Content != "fine-tune")
        {
            return Error(400, "invalid_request_error", "The purpose must be 'fine-tune'.");
        }

        if (!parts.TryGetValue("file", out var file) || file.FileName is null)
        {
            return Error(400, "invalid_request_error", "The file part (with a file name) is missing.");
        }

        if (RejectUploads is { } rejection)
        {
            return Error(400, rejection.Code, rejection.Message);
        }

        var id = $"file-{_files.Count + 1:D4}";
        _files[id] = (file.FileName, file.Content);
        return LoopbackResponse.Json(FileJson(id).ToJsonString());
    }

    private LoopbackResponse FileObject(string id) =>
        _files.ContainsKey(id) ? LoopbackResponse.Json(FileJson(id).ToJsonString()) : Error(404, "not_found", $"No file {id}.");

    private JsonObject FileJson(string id) => new()
    {
        ["id"] = id,
        ["object"] = "file",
        ["bytes"] = System.Text.Encoding.UTF8.GetByteCount(_files[id].Content),
        ["created_at"] = Created,
        ["filename"] = _files[id].FileName,
        ["purpose"] = "fine-tune",
        ["status"] = "processed",
    };

    private LoopbackResponse CreateJob(RecordedRequest request)
    {
        var body = JsonNode.Parse(request.Body)!.AsObject();
        var model = (string?)body["model"];
        var training = (string?)body["training_file"];
        var validation = (string?)body["validation_file"];
        var method = (string?)body["method"]?["type"];
        if (string.IsNullOrEmpty(model) || training is null || !_files.ContainsKey(training) || (validation is not null && !_files.ContainsKey(validation)))
        {
            return Error(400, "invalid_request_error", "A job needs a model and uploaded training (and validation) files.");
        }

        if (method is not ("supervised" or "dpo"))
        {
            return Error(400, "invalid_request_error", $"Unknown method type '{method}'.");
        }

        var job = new JsonObject
        {
            ["id"] = $"ftjob-{_jobs.Count + 1:D4}",
            ["object"] = "fine_tuning.job",
            ["created_at"] = Created,
            ["model"] = model,
            ["training_file"] = training,
            ["validation_file"] = validation,
            ["status"] = "validating_files",
            ["fine_tuned_model"] = null,
            ["trained_tokens"] = null,
            ["error"] = null,
            ["method"] = new JsonObject { ["type"] = method },
            ["suffix"] = (string?)body["suffix"],
            ["metadata"] = body["metadata"]?.DeepClone(),
        };
        _jobs.Add(job);
        _jobLooks[(string)job["id"]!] = 0;
        return LoopbackResponse.Json(job.ToJsonString());
    }

    private LoopbackResponse GetJob(string id, string events)
    {
        if (_jobs.FirstOrDefault(j => (string?)j["id"] == id) is not { } job)
        {
            return Error(404, "not_found", $"No job {id}.");
        }

        if (events.Length > 0)
        {
            var reached = JobScript.Take(Math.Min(_jobLooks[id], JobScript.Count)).Prepend("validating_files");
            return LoopbackResponse.Json(List(reached.Reverse().Select((status, i) => (JsonNode)new JsonObject
            {
                ["object"] = "fine_tuning.job.event",
                ["id"] = $"ftevent-{id}-{i}",
                ["created_at"] = Created + 60 - i,
                ["level"] = status == "failed" ? "error" : "info",
                ["message"] = $"Job is {status}.",
                ["type"] = "message",
            })));
        }

        var status = (string)job["status"]!;
        if (status is not ("cancelled" or "failed" or "succeeded"))
        {
            var looks = ++_jobLooks[id];
            status = JobScript[Math.Min(looks, JobScript.Count) - 1];
            job["status"] = status;
            if (status == "succeeded")
            {
                job["fine_tuned_model"] = FineTunedModel;
                job["trained_tokens"] = 12_345;
            }
            else if (status == "failed")
            {
                job["error"] = new JsonObject { ["code"] = JobError.Code, ["message"] = JobError.Message, ["param"] = "training_file" };
            }
        }

        return LoopbackResponse.Json(job.ToJsonString());
    }

    private LoopbackResponse Cancel(string id)
    {
        var job = _jobs.Single(j => (string?)j["id"] == id);
        job["status"] = "cancelled";
        return LoopbackResponse.Json(job.ToJsonString());
    }

    private LoopbackResponse Chat(RecordedRequest request)
    {
        var model = ModelOf(request);
        var body = request.Json;
        var azure = request.Path.StartsWith("/openai/deployments/", StringComparison.Ordinal);
        if (azure && _deployments.TryGetValue(model, out var deployed) && deployed.Looks <= DeploymentLooks)
        {
            return Error(404, "DeploymentNotFound", $"The deployment {model} is not ready.");
        }

        var messages = body.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").ValueKind == JsonValueKind.String ? m.GetProperty("content").GetString()! : m.GetProperty("content").ToString()))
            .ToList();
        var text = Answer(model, messages);
        var promptTokens = messages.Sum(m => m.Item2.Length / 4) + 3;
        var completionTokens = Math.Max(1, text.Length / 4);
        return body.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True
            ? OpenAIResponses.ChatCompletionStream([text], promptTokens, completionTokens, model)
            : OpenAIResponses.ChatCompletion(text, promptTokens, completionTokens, model);
    }

    private LoopbackResponse HandleDeployment(RecordedRequest request, string name)
    {
        if (request.Query.GetValueOrDefault("api-version") is not { Length: > 0 })
        {
            return Error(400, "MissingApiVersionParameter", "The api-version query parameter is required.");
        }

        switch (request.Method)
        {
            case "PUT":
                var body = request.Json;
                var model = body.GetProperty("properties").GetProperty("model");
                if (model.GetProperty("format").GetString() != "OpenAI" || model.GetProperty("version").GetString() != "1")
                {
                    return Error(400, "InvalidResourceProperties", "A fine-tuned model is deployed with format OpenAI and version 1.");
                }

                _deployments[name] = (model.GetProperty("name").GetString()!, body.GetProperty("sku").GetProperty("name").GetString()!, 0);
                return LoopbackResponse.Json(DeploymentJson(name, "Creating").ToJsonString(), 201);
            case "GET" when _deployments.TryGetValue(name, out var deployment):
                _deployments[name] = deployment with { Looks = deployment.Looks + 1 };
                return LoopbackResponse.Json(DeploymentJson(name, deployment.Looks + 1 > DeploymentLooks ? "Succeeded" : "Creating").ToJsonString());
            case "DELETE":
                return _deployments.Remove(name) ? LoopbackResponse.Empty(200) : LoopbackResponse.Empty(204);
            default:
                return Error(404, "DeploymentNotFound", $"No deployment {name}.");
        }
    }

    private JsonObject DeploymentJson(string name, string state) => new()
    {
        ["id"] = $"/subscriptions/sub/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai/deployments/{name}",
        ["name"] = name,
        ["type"] = "Microsoft.CognitiveServices/accounts/deployments",
        ["sku"] = new JsonObject { ["name"] = _deployments[name].Sku, ["capacity"] = 10 },
        ["properties"] = new JsonObject
        {
            ["model"] = new JsonObject { ["format"] = "OpenAI", ["name"] = _deployments[name].Model, ["version"] = "1" },
            ["provisioningState"] = state,
        },
    };

    private static string List(IEnumerable<JsonNode?> data) =>
        new JsonObject { ["object"] = "list", ["data"] = new JsonArray([.. data]), ["has_more"] = false }.ToJsonString();

    private static LoopbackResponse Error(int status, string code, string message) =>
        LoopbackResponse.Json(JsonSerializer.Serialize(new { error = new { code, message, type = "invalid_request_error", param = (string?)null } }), status);

    [GeneratedRegex(@"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.CognitiveServices/accounts/[^/]+/deployments/([^/]+)$")]
    private static partial Regex DeploymentPath();

    [GeneratedRegex(@"^/fine_tuning/jobs/([^/]+)(/events)?$")]
    private static partial Regex JobPath();
}
