using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Ragtune.Http.OpenAI;
using Ragtune.Http.UIMessages;

namespace Ragtune.Functions.Http;

/// <summary>
/// The front-end protocols (../shared/design/http-api.md), the same as <c>ragtune serve</c>: OpenAI chat completions
/// under <c>/api/v1</c> and the AI SDK's <c>/api/chat</c>, each its trigger and one call to Ragtune.Http. Function keys
/// protect them like the other API functions (<c>x-functions-key</c> or <c>?code=</c>).
/// </summary>
public sealed class FrontEndFunctions(ChatCompletionsApi completions, UIChatApi chat)
{
    [Function("ChatCompletions")]
    public async Task<IResult> ChatCompletionsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/chat/completions")] HttpRequest request, CancellationToken cancellationToken) =>
        await completions.CreateAsync(request, cancellationToken);

    [Function("Models")]
    public async Task<IResult> ModelsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/models")] HttpRequest request, CancellationToken cancellationToken) =>
        await completions.ModelsAsync(request, cancellationToken);

    [Function("Chat")]
    public async Task<IResult> ChatAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "chat")] HttpRequest request, CancellationToken cancellationToken) =>
        await chat.ChatAsync(request, cancellationToken);
}
