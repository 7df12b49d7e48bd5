using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Http;
using Ragtune.Core.Api;
using Ragtune.Http.Auth;
using Ragtune.Http.OpenAI;
using Ragtune.Http.UIMessages;

namespace Ragtune.Http;

/// <summary>Registers the HTTP API for a host.</summary>
public static class HttpServiceCollectionExtensions
{
    /// <summary>
    /// The endpoint handlers (<see cref="RagtuneHttpApi"/>, and the front-end protocols <see cref="ChatCompletionsApi"/>
    /// and <see cref="UIChatApi"/>), the caller's access (<see cref="CallerAccess"/>: bearer tokens and the trusted
    /// principal header, settings <c>Ragtune:Auth</c>, checked at start), and the API's JSON conventions for the typed results.
    /// </summary>
    public static IServiceCollection AddRagtuneHttp(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(BearerTokenValidator.MetadataClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BearerTokenValidator>();
        services.TryAddSingleton<CallerAccess>();
        services.TryAddSingleton<RagtuneHttpApi>();
        services.TryAddSingleton<ChatCompletionsApi>();
        services.TryAddSingleton<UIChatApi>();
        services.ConfigureHttpJsonOptions(options => RagtuneJson.Apply(options.SerializerOptions));
        return services;
    }

    /// <summary>
    /// For a host that runs its own ASP.NET Core pipeline (<c>UseExceptionHandler</c>, <c>UseStatusCodePages</c>): what the
    /// framework answers by itself (no route, wrong method or content type, an unhandled exception) gets the API's code
    /// and wording, and a dependency failure no endpoint caught is the API's problem for it; under <c>/api/v1</c> in
    /// OpenAI's error shape, which OpenAI clients read there.
    /// </summary>
    public static IServiceCollection AddRagtuneProblemDetails(this IServiceCollection services)
    {
        // Before AddProblemDetails: the first writer that can write a problem writes it.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, OpenAIErrorWriter>());
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = ProblemBody.ForStatus(context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode);
            context.ProblemDetails.Type = ProblemBody.TypeOf(problem.Code);
            context.ProblemDetails.Title = problem.Title;
            context.ProblemDetails.Detail = problem.Detail;
            context.ProblemDetails.Extensions["code"] = problem.Code;
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        return services;
    }
}
