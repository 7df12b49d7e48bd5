using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Ragtune.Core.Api;
using Ragtune.Core.FineTuning;

namespace Ragtune.Cli.Http;

/// <summary>
/// The fine-tune datasets over HTTP, on <c>ragtune serve</c> only (the Azure Functions app exports on its timer and maps
/// none of these): what an export now would hold, an export now, and the latest export's manifest. Each endpoint is
/// one call to <see cref="DatasetExporter"/>.
/// </summary>
internal static class DatasetsHttpApi
{
    /// <summary>Where the latest export's <c>manifest.json</c> is served.</summary>
    public const string LatestManifestPath = "/api/datasets/latest/manifest.json";

    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var datasets = app.MapGroup("/api/datasets").WithTags("Datasets (ragtune serve only)");
        datasets.MapGet(string.Empty, ReadinessAsync)
            .WithName("Datasets")
            .WithSummary("The SFT and DPO examples an export now would write from the current ratings, what it would leave out, and the last export")
            .Produces<DatasetsResponse>();
        datasets.MapPost("/export", ExportAsync)
            .WithName("ExportDatasets")
            .WithSummary("Export the fine-tune datasets now (nothing is written when no rating is new) and return the export's summary")
            .Produces<ExportNowResponse>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        datasets.MapGet("/latest/manifest.json", LatestManifestAsync)
            .WithName("LatestManifest")
            .WithSummary("The manifest.json of the newest export")
            .Produces<DatasetManifest>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ReadinessAsync(DatasetExporter exporter, CancellationToken cancellationToken) =>
        Results.Json(DatasetsResponse.From(await exporter.GetReadinessAsync(cancellationToken), LatestManifestPath), RagtuneJson.Options);

    /// <summary>An export already running (409) and a failing store (503) are answered by <see cref="ApiExceptionHandler"/>.</summary>
    private static async Task<IResult> ExportAsync(DatasetExporter exporter, CancellationToken cancellationToken) =>
        Results.Json(ExportNowResponse.From(await exporter.ExportAsync(cancellationToken), LatestManifestPath), RagtuneJson.Options);

    private static async Task<IResult> LatestManifestAsync(HttpContext context, IDatasetWriter writer, CancellationToken cancellationToken)
    {
        if (await writer.ReadLatestManifestAsync(cancellationToken) is not { } manifest)
        {
            return RagtuneHttpApi.Problem(ApiProblem.NotFound("No export has been written yet."));
        }

        context.Response.Headers.CacheControl = "no-cache";
        return Results.Bytes(manifest.ToUtf8Bytes(), "application/json");
    }
}
