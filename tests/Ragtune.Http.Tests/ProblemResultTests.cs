using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Core;
using Ragtune.Core.Api;

namespace Ragtune.Http.Tests;

/// <summary>A Core problem as both hosts write it: Problem Details with the stable code, Retry-After when waiting helps.</summary>
public sealed class ProblemResultTests
{
    [Fact]
    public async Task Execute_Throttled_IsProblemDetailsWithRetryAfterRoundedUp()
    {
        var problem = ApiProblem.FromException(new DependencyUnavailableException("chat", DependencyFailure.Throttled, TimeSpan.FromSeconds(2.2)));

        var (context, body) = await ExecuteAsync(new ProblemResult<AskProblems>(problem));

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType?.Split(';')[0]);
        Assert.Equal("3", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal(["type", "title", "status", "detail", "code"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("urn:ragtune:problem:dependency-throttled", body.GetProperty("type").GetString());
        Assert.Equal(429, body.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Execute_InvalidRequest_CarriesTheFieldErrorsAndNoRetryAfter()
    {
        var problem = ApiProblem.InvalidRequest("A question is required.", new Dictionary<string, string[]> { ["question"] = ["A question is required."] });

        var (context, body) = await ExecuteAsync(new ProblemResult<AskProblems>(problem));

        Assert.Equal(400, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
        Assert.Equal("A question is required.", body.GetProperty("errors").GetProperty("question")[0].GetString());
    }

    [Fact]
    public void Metadata_DeclaresEachStatusOfTheEndpointAsProblemDetails()
    {
        var builder = new RouteEndpointBuilder(_ => Task.CompletedTask, RoutePatternFactory.Parse("/"), 0);

        ProblemResult<FeedbackProblems>.PopulateMetadata(typeof(ProblemResultTests).GetMethod(nameof(Metadata_DeclaresEachStatusOfTheEndpointAsProblemDetails))!, builder);

        var responses = builder.Metadata.OfType<IProducesResponseTypeMetadata>().ToList();
        Assert.Equal([400, 401, 403, 404, 408, 413, 429, 503, 504], responses.Select(r => r.StatusCode));
        Assert.All(responses, r => Assert.Equal(["application/problem+json"], r.ContentTypes));
    }

    private static async Task<(HttpContext Context, JsonElement Body)> ExecuteAsync(IResult result)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        return (context, JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray()).RootElement.Clone());
    }
}
