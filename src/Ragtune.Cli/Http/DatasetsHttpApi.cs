using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Ragtune.Core.Api;
using Ragtune.Core;
using Ragtune.Core.FineTuning;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Http;
using Ragtune.Http.Auth;

namespace Ragtune.Cli.Http;

/// <summary>
/// The fine-tune datasets over HTTP, on <c>ragtune serve</c> only (the Azure Functions app exports on its timer and maps
/// none of these): what an export now would hold, an export now, and the latest export's manifest. Each endpoint is
/// one call to <see cref="DatasetExporter"/> (readiness with <see cref="FineTuningAdvisor"/>'s numbers beside it).
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
            .WithSummary("The SFT and DPO examples an export now would write from the current ratings, what it would leave out, and the last export");
        datasets.MapPost("/export", ExportAsync)
            .WithName("ExportDatasets")
            .WithSummary("Export the fine-tune datasets now (nothing is written when no rating is new) and return the export's summary");
        datasets.MapGet("/latest/manifest.json", LatestManifestAsync)
            .WithName("LatestManifest")
            .WithSummary("The manifest.json of the newest export")
            .Produces<DatasetManifest>();
        return app;
    }

    /// <summary>
    /// The datasets hold only answers every caller may see, but they are the operator's: when every call needs a token
    /// (<c>Ragtune:Auth:RequireAuthenticatedCaller</c>), these do too, through the same check as the API.
    /// </summary>
    private static async Task<Results<Ok<DatasetsResponse>, ProblemResult<CredentialProblems>>> ReadinessAsync(
        HttpRequest request, CallerAccess caller, DatasetExporter exporter, FineTuningAdvisor advisor, CancellationToken cancellationToken)
    {
        var scope = await caller.ScopeOfAsync(request, cancellationToken);
        if (!scope.Succeeded)
        {
            return (ProblemResult<CredentialProblems>)scope.Problem;
        }

        var readiness = await exporter.GetReadinessAsync(cancellationToken);
        return TypedResults.Ok(DatasetsResponse.From(readiness, LatestManifestPath, await advisor.AdviseAsync(readiness, cancellationToken)));
    }

    /// <summary>
    /// An export already running (409) and a failing store (503) are the API's problems; the exception handler answers
    /// them too. Only a request with a JSON content type exports (415 otherwise; the body is not read): a page of
    /// another site can send a form or text POST without asking (no CORS preflight), never a JSON one.
    /// </summary>
    private static async Task<Results<Ok<ExportNowResponse>, ProblemResult<ExportProblems>>> ExportAsync(
        HttpRequest request, CallerAccess caller, DatasetExporter exporter, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (ProblemResult<ExportProblems>)ProblemBody.ForStatus(StatusCodes.Status415UnsupportedMediaType);
        }

        var scope = await caller.ScopeOfAsync(request, cancellationToken);
        if (!scope.Succeeded)
        {
            return (ProblemResult<ExportProblems>)scope.Problem;
        }

        try
        {
            return TypedResults.Ok(ExportNowResponse.From(await exporter.ExportAsync(cancellationToken), LatestManifestPath));
        }
        catch (Exception exception) when (exception is DatasetExportBusyException or DependencyUnavailableException)
        {
            return (ProblemResult<ExportProblems>)ApiProblem.FromException(exception);
        }
    }

    /// <summary>The manifest's own bytes, as the export wrote them.</summary>
    private static async Task<Results<FileContentHttpResult, ProblemResult<NotFoundProblems>>> LatestManifestAsync(
        HttpContext context, CallerAccess caller, IDatasetWriter writer, CancellationToken cancellationToken)
    {
        var scope = await caller.ScopeOfAsync(context.Request, cancellationToken);
        if (!scope.Succeeded)
        {
            return (ProblemResult<NotFoundProblems>)scope.Problem;
        }

        if (await writer.ReadLatestManifestAsync(cancellationToken) is not { } manifest)
        {
            return (ProblemResult<NotFoundProblems>)ApiProblem.NotFound("No export has been written yet.");
        }

        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.Bytes(manifest.ToUtf8Bytes(), "application/json");
    }
}
