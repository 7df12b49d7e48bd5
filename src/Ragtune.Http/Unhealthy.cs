using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Ragtune.Core.Api;

namespace Ragtune.Http;

/// <summary>GET /api/health when a dependency did not answer: 503 with the same body as the healthy answer.</summary>
public sealed class Unhealthy(HealthResponse report) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<HealthResponse>, IEndpointMetadataProvider
{
    public HealthResponse Value { get; } = report;

    public int? StatusCode => StatusCodes.Status503ServiceUnavailable;

    object? IValueHttpResult.Value => Value;

    public Task ExecuteAsync(HttpContext httpContext) =>
        TypedResults.Json(Value, RagtuneJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(HealthResponse), ["application/json"]));
    }
}
