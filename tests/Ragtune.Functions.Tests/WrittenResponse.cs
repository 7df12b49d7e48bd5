using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ragtune.Functions.Tests;

/// <summary>What an HTTP function's result wrote to the response, executed as the ASP.NET Core integration executes it.</summary>
internal sealed record WrittenResponse(int StatusCode, string? ContentType, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The media type of <see cref="ContentType"/>, without parameters.</summary>
    public string? MediaType => ContentType?.Split(';')[0].Trim();

    /// <summary>Executes <paramref name="result"/> against the response of <paramref name="request"/> (whose body is a <see cref="MemoryStream"/>).</summary>
    public static async Task<WrittenResponse> ExecuteAsync(HttpRequest request, IActionResult result)
    {
        var context = request.HttpContext;
        context.RequestServices = new ServiceCollection().AddLogging().AddMvcCore().Services.BuildServiceProvider();
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new WrittenResponse(context.Response.StatusCode, context.Response.ContentType, text);
    }
}
