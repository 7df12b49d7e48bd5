using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Ragtune.Core.Answering;
using Ragtune.Core.Api;
using Ragtune.Core.Chunking;
using Ragtune.Core.Documents;
using Ragtune.Core.Evaluation;
using Ragtune.Core.Feedback;
using Ragtune.Core.FineTuning;
using Ragtune.Core.FineTuning.Tuning;
using Ragtune.Core.Ingestion;
using Ragtune.Core.Retrieval;
using Ragtune.Core.Telemetry;

namespace Ragtune.Core;

/// <summary>Registers Core's services. The adapters (embedded or Azure) register the seams Core depends on.</summary>
public static class RagtuneCoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds ingestion, retrieval, answering, feedback, the fine-tune export and the API's request rules, with their
    /// options bound from configuration (<c>Ragtune:Chunking</c>, <c>Ragtune:Ingestion</c>, <c>Ragtune:Retrieval</c>,
    /// <c>Ragtune:Answering</c>, <c>Ragtune:FineTuning</c> (exports and tuning runs), <c>Ragtune:Api</c>, <c>Ragtune:Feedback</c>) and validated at start. The export needs
    /// an <see cref="IDatasetStore"/> from an adapter.
    /// </summary>
    public static IServiceCollection AddRagtuneCore(this IServiceCollection services)
    {
        services.AddValidatedOptions<ChunkingOptions>(ChunkingOptions.SectionName);
        services.AddValidatedOptions<IngestionOptions>(IngestionOptions.SectionName);
        services.AddValidatedOptions<RetrievalOptions>(RetrievalOptions.SectionName);
        services.AddValidatedOptions<AnswerOptions>(AnswerOptions.SectionName);
        services.AddValidatedOptions<FineTuningOptions>(FineTuningOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FineTuningOptions>, ExportScheduleValidation>());
        services.AddValidatedOptions<ApiLimitsOptions>(ApiLimitsOptions.SectionName);
        services.AddValidatedOptions<FeedbackOptions>(FeedbackOptions.SectionName);

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<RagtuneMetrics>();
        services.TryAddSingleton(_ => DocumentReaders.CreateDefault());
        services.TryAddSingleton<TextChunker>();
        services.TryAddSingleton<IngestionPipeline>();
        services.TryAddSingleton<DocumentList>();
        services.TryAddSingleton<Retriever>();
        services.TryAddSingleton<QueryRewriter>();
        services.TryAddSingleton<PromptBuilder>();
        services.TryAddSingleton<QuestionAnswerer>();
        services.TryAddSingleton<FeedbackRecorder>();
        services.TryAddSingleton<IDatasetWriter, DatasetWriter>();
        services.TryAddSingleton<DatasetExporter>();
        services.TryAddSingleton<InteractionRetention>();
        services.TryAddSingleton<ServiceReadiness>();
        services.TryAddSingleton<HealthCheck>();
        services.TryAddSingleton<RagtuneApi>();
        services.TryAddSingleton<RetrievalEvaluator>();
        services.TryAddSingleton<AnswerEvaluator>();

        // Tuning runs: they need an ITuningRunStore from an adapter and an IFineTuningService (Ragtune.OpenAI).
        services.AddValidatedOptions<TuningOptions>(TuningOptions.SectionName);
        services.TryAddSingleton<ActiveChatModel>();
        services.TryAddSingleton<GateEvaluator>();
        services.TryAddSingleton<TuningRunner>();
        services.TryAddSingleton<TuningCoordinator>();
        services.TryAddSingleton<FineTuningAdvisor>();
        return services;
    }

    /// <summary>
    /// Wraps the chat client and the embedding generator registered so far, whichever providers they are, in
    /// Microsoft.Extensions.AI's OpenTelemetry clients (<see cref="RagtuneTelemetry.GenAISourceName"/>): a GenAI span
    /// per call with the model and token counts, and the GenAI metrics. Sensitive data stays off whatever the
    /// environment says (<c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT</c>), and the clients log nothing (they
    /// are given no logger factory, not the host's): their failure log holds the exception, whose inner message can
    /// quote the service's error body, which can quote the prompt. A host calls this once, after its providers.
    /// </summary>
    public static IServiceCollection AddRagtuneAITelemetry(this IServiceCollection services)
    {
        Decorate<IChatClient>(services, (provider, inner) => inner.AsBuilder()
            .UseOpenTelemetry(NullLoggerFactory.Instance, RagtuneTelemetry.GenAISourceName, client => client.EnableSensitiveData = false)
            .Build(provider));
        Decorate<IEmbeddingGenerator<string, Embedding<float>>>(services, (provider, inner) => inner.AsBuilder()
            .UseOpenTelemetry(NullLoggerFactory.Instance, RagtuneTelemetry.GenAISourceName, generator => generator.EnableSensitiveData = false)
            .Build(provider));
        return services;
    }

    /// <summary>Binds options from a configuration section, validates their data annotations, and fails at start if they are wrong.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string sectionName)
        where TOptions : class =>
        services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateDataAnnotations().ValidateOnStart();

    /// <summary>Replaces the last (unkeyed) registration of <typeparamref name="T"/> with <paramref name="wrap"/> around what it made.</summary>
    private static void Decorate<T>(IServiceCollection services, Func<IServiceProvider, T, T> wrap)
        where T : class
    {
        var index = services.Count - 1;
        while (index >= 0 && (services[index].ServiceType != typeof(T) || services[index].IsKeyedService))
        {
            index--;
        }

        if (index < 0)
        {
            throw new InvalidOperationException($"No {typeof(T).Name} is registered to wrap: register the providers first.");
        }

        var inner = services[index];
        services[index] = ServiceDescriptor.Describe(typeof(T), provider => wrap(provider, Create(provider, inner)), inner.Lifetime);

        static T Create(IServiceProvider provider, ServiceDescriptor descriptor) =>
            (T)(descriptor.ImplementationInstance
                ?? descriptor.ImplementationFactory?.Invoke(provider)
                ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!));
    }
}
