using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Ragtune.Core;
using Ragtune.Core.FineTuning;

namespace Ragtune.Http.Tests;

/// <summary>What the serve host answers for an exception no endpoint turned into a response.</summary>
public sealed class ApiExceptionHandlerTests
{
    [Theory]
    [InlineData(DependencyFailure.Throttled, 429, "dependency-throttled")]
    [InlineData(DependencyFailure.Timeout, 504, "dependency-timeout")]
    [InlineData(DependencyFailure.Unavailable, 503, "dependency-unavailable")]
    public async Task DependencyUnavailable_IsTheApiProblem(DependencyFailure failure, int status, string code)
    {
        var (handled, context) = await HandleAsync(new DependencyUnavailableException("storage", failure, TimeSpan.FromSeconds(7)));

        Assert.True(handled);
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType?.Split(';')[0]);
        Assert.Equal(code, Body(context).GetProperty("code").GetString());
        if (failure != DependencyFailure.Timeout)
        {
            Assert.Equal("7", context.Response.Headers.RetryAfter.ToString());
        }
    }

    [Fact]
    public async Task ExportBusy_IsConflict()
    {
        var (handled, context) = await HandleAsync(new DatasetExportBusyException("/data/datasets"));

        Assert.True(handled);
        Assert.Equal(409, context.Response.StatusCode);
        Assert.Equal("export-busy", Body(context).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(StatusCodes.Status400BadRequest)]
    [InlineData(StatusCodes.Status408RequestTimeout)]
    public async Task ClientFramingError_IsItsClientError(int status)
    {
        var (handled, context) = await HandleAsync(new BadHttpRequestException("Unexpected end of request content.", status));

        Assert.True(handled);
        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType?.Split(';')[0]);
    }

    [Fact]
    public async Task OtherException_IsLeftToTheFramework()
    {
        var (handled, context) = await HandleAsync(new InvalidOperationException("secret detail"));

        Assert.False(handled);
        Assert.Equal(0, context.Response.Body.Length);
    }

    private static async Task<(bool Handled, DefaultHttpContext Context)> HandleAsync(Exception exception)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
        };
        context.Response.Body = new MemoryStream();
        var handled = await new ApiExceptionHandler().TryHandleAsync(context, exception, CancellationToken.None);
        return (handled, context);
    }

    private static JsonElement Body(DefaultHttpContext context) =>
        JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray()).RootElement;
}
