using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Ragtune.Functions.Tests;

/// <summary>What an HTTP function's result wrote to the response, executed as the ASP.NET Core integration executes it.</summary>
internal sealed record WrittenResponse(int StatusCode, string? ContentType, string Body, IHeaderDictionary Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The media type of <see cref="ContentType"/>, without parameters.</summary>
    public string? MediaType => ContentType?.Split(';')[0].Trim();

    /// <summary>
    /// Executes <paramref name="result"/> against the response of <paramref name="request"/> (whose body is a
    /// <see cref="MemoryStream"/>), with the app's services as the request's, as the worker runs it.
    /// </summary>
    public static async Task<WrittenResponse> ExecuteAsync(HttpRequest request, IResult result, IServiceProvider services)
    {
        var context = request.HttpContext;
        context.RequestServices = services;
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new WrittenResponse(context.Response.StatusCode, context.Response.ContentType, text, context.Response.Headers);
    }
}
