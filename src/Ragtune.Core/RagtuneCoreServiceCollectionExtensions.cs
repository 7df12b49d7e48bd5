using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

    /// <summary>Binds options from a configuration section, validates their data annotations, and fails at start if they are wrong.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string sectionName)
        where TOptions : class =>
        services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateDataAnnotations().ValidateOnStart();
}
