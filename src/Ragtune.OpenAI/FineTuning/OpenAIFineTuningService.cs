using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.OpenAI.FineTuning;

/// <summary>
/// <see cref="IFineTuningService"/> over the OpenAI files and fine-tuning jobs API, as documented: at an
/// OpenAI-compatible base URL (<c>.../v1</c>) with a bearer key, or at an Azure OpenAI resource's <c>/openai/v1</c> with
/// Microsoft Entra ID (or its key). Files go up as <c>multipart/form-data</c> with purpose <c>fine-tune</c>; a job carries
/// the run's id in its metadata (OpenAI) and is found again by it or by its training file. Fine-tuned models answer
/// through the chat clients of this project; on Azure they are deployed first (<see cref="AzureModelDeployments"/>).
/// </summary>
public sealed class OpenAIFineTuningService : IFineTuningService, IDisposable
{
    private const string CognitiveServicesScope = "https://cognitiveservices.azure.com/.default";
    private const string Suffix = "ragtune";

    private readonly FineTuningServiceOptions _options;
    private readonly TokenCredential? _credential;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly FineTuningHttp? _api;
    private readonly Uri? _base;
    private readonly AzureModelDeployments? _deployments;
    private readonly ConcurrentDictionary<string, IChatClient> _chatClients = new(StringComparer.Ordinal);

    public OpenAIFineTuningService(IOptions<FineTuningServiceOptions> options, TimeProvider time, TokenCredential? credential = null, HttpMessageHandler? handler = null)
    {
        _options = options.Value;
        _credential = credential;
        _time = time;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = _options.Timeout;
        if (!_options.IsConfigured)
        {
            return;
        }

        var endpoint = _options.Endpoint!;
        var azure = _options.Provider == FineTuningServiceOptions.AzureOpenAI;
        _base = azure ? new Uri(endpoint, "openai/v1/") : new Uri(endpoint.ToString().TrimEnd('/') + "/");
        var authentication = !azure ? FineTuningAuthentication.BearerKey(_options.ApiKey)
            : !string.IsNullOrEmpty(_options.ApiKey) ? FineTuningAuthentication.ApiKeyHeader(_options.ApiKey)
            : FineTuningAuthentication.Token(RequireCredential(), CognitiveServicesScope);
        _api = new FineTuningHttp(_http, authentication, _options.MaxRetries, _options.MaxRetryDelay, time);
        if (azure)
        {
            var management = new FineTuningHttp(
                _http, FineTuningAuthentication.Token(RequireCredential(), new Uri(_options.Azure.ManagementEndpoint, ".default").ToString()), _options.MaxRetries, _options.MaxRetryDelay, time);
            _deployments = new AzureModelDeployments(management, _options.Azure);
        }
    }

    public bool IsConfigured => _options.IsConfigured;

    public async Task<UploadedFile> UploadFileAsync(string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var uploaded = await Api.SendAsync(
            () =>
            {
                var file = new ByteArrayContent(content.ToArray());
                file.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
                return new HttpRequestMessage(HttpMethod.Post, Url("files"))
                {
                    Content = new MultipartFormDataContent { { new StringContent("fine-tune"), "purpose" }, { file, "file", fileName } },
                };
            },
            cancellationToken);
        var id = uploaded!.Value.GetProperty("id").GetString()!;

        // Azure OpenAI checks a file before a job may use it: wait until it is processed, or rejected.
        var deadline = _time.GetUtcNow() + _options.FileProcessingTimeout;
        for (var file = uploaded.Value; ; file = (await Api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Url($"files/{id}")), cancellationToken))!.Value)
        {
            var status = String(file, "status");
            if (status is "error" or "failed" or "deleted")
            {
                throw new FineTuningRequestRejectedException(400, new TuningFailure("file_rejected", String(file, "status_details") ?? $"The service rejected {fileName} ({status})."));
            }

            if (status is null or "processed" || (status == "uploaded" && _options.Provider == FineTuningServiceOptions.OpenAICompatible))
            {
                return new UploadedFile(id, fileName, content.Length);
            }

            if (_time.GetUtcNow() > deadline)
            {
                throw new Core.DependencyUnavailableException(FineTuningHttp.Dependency, Core.DependencyFailure.Timeout);
            }

            await Task.Delay(TimeSpan.FromSeconds(2), _time, cancellationToken);
        }
    }

    public async Task<FineTuningJob> CreateJobAsync(FineTuningJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new JsonObject
        {
            ["model"] = request.BaseModel,
            ["training_file"] = request.TrainingFileId,
            ["suffix"] = Suffix,
            ["method"] = new JsonObject { ["type"] = request.Method.ApiType() },
        };
        if (request.ValidationFileId is not null)
        {
            body["validation_file"] = request.ValidationFileId;
        }

        if (_options.Provider == FineTuningServiceOptions.OpenAICompatible)
        {
            body["metadata"] = new JsonObject { [FineTuningJobs.RunMetadata] = request.RunId };
        }

        var job = await Api.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url("fine_tuning/jobs")) { Content = JsonContent.Create(body) }, cancellationToken);
        return FineTuningJobs.Read(job!.Value);
    }

    public async Task<FineTuningJob> GetJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        FineTuningJobs.Read((await Api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Url($"fine_tuning/jobs/{Uri.EscapeDataString(jobId)}")), cancellationToken))!.Value);

    public async Task<IReadOnlyList<FineTuningJob>> ListJobsAsync(CancellationToken cancellationToken = default)
    {
        var list = await Api.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Url("fine_tuning/jobs?limit=100")), cancellationToken);
        return [.. list!.Value.GetProperty("data").EnumerateArray().Select(FineTuningJobs.Read)];
    }

    public async Task<IReadOnlyList<FineTuningJobEvent>> ListEventsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var list = await Api.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, Url($"fine_tuning/jobs/{Uri.EscapeDataString(jobId)}/events?limit={TuningRun.MaxEvents}")), cancellationToken);
        return [.. list!.Value.GetProperty("data").EnumerateArray().Select(FineTuningJobs.ReadEvent).OrderBy(e => e.CreatedAt)];
    }

    public async Task<FineTuningJob> CancelJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        FineTuningJobs.Read((await Api.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url($"fine_tuning/jobs/{Uri.EscapeDataString(jobId)}/cancel")), cancellationToken))!.Value);

    public Task<ModelDeployment> DeployAsync(string fineTunedModel, string name, DeploymentPurpose purpose, CancellationToken cancellationToken = default) =>
        _deployments is null
            ? Task.FromResult(new ModelDeployment(fineTunedModel, ModelDeployment.Ready))
            : _deployments.DeployAsync(fineTunedModel, name, purpose, cancellationToken);

    public Task DeleteDeploymentAsync(string name, CancellationToken cancellationToken = default) =>
        _deployments is null ? Task.CompletedTask : _deployments.DeleteAsync(name, cancellationToken);

    public IChatClient GetChatClient(string deployment) => _chatClients.GetOrAdd(deployment, name => OpenAIChatClients.Create(
        new ChatProviderOptions
        {
            Provider = _options.Provider == FineTuningServiceOptions.AzureOpenAI ? ChatProviderOptions.AzureOpenAI : ChatProviderOptions.OpenAICompatible,
            Endpoint = _options.Endpoint,
            Model = name,
            ApiKey = _options.ApiKey,
            Timeout = _options.Timeout,
            MaxRetries = _options.MaxRetries,
            MaxRetryDelay = _options.MaxRetryDelay,
        },
        _credential));

    public void Dispose()
    {
        foreach (var client in _chatClients.Values)
        {
            client.Dispose();
        }

        _http.Dispose();
    }

    private FineTuningHttp Api => _api ?? throw new InvalidOperationException(
        $"{FineTuningServiceOptions.SectionName}:Provider is not set: there is no fine-tuning service.");

    private Uri Url(string relative) => new(_base!, relative);

    private TokenCredential RequireCredential() => _credential
        ?? throw new InvalidOperationException("Azure OpenAI fine-tuning without an API key needs the host's TokenCredential.");

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
