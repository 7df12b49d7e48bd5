using System.Text;
using Microsoft.AspNetCore.Http;
using Ragtune.Functions.Http;

namespace Ragtune.Functions.Tests;

/// <summary>ASP.NET Core requests for the HTTP functions, and running a function on one as the worker would.</summary>
internal static class FunctionRequests
{
    /// <summary>A request with a JSON body (when given) and a response body the test can read back.</summary>
    public static HttpRequest Create(string method, string? body = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = "application/json";
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>Calls <paramref name="function"/> of the app's <see cref="HttpApiFunctions"/> and executes its result.</summary>
    public static async Task<WrittenResponse> RunAsync(TestApp app, HttpRequest request, Func<HttpApiFunctions, HttpRequest, Task<IResult>> function) =>
        await WrittenResponse.ExecuteAsync(request, await function(app.Get<HttpApiFunctions>(), request), app.Services);
}
