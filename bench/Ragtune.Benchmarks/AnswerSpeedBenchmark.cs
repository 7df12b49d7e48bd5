using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ragtune.Core.Answering;
using Ragtune.Core.Embeddings;
using Ragtune.Core.Feedback;
using Ragtune.Core.Index;
using Ragtune.Core.Retrieval;
using Ragtune.Core.Telemetry;
using Ragtune.Embedded.Chat;
using Ragtune.Embedded.Storage;

namespace Ragtune.Benchmarks;

/// <summary>
/// The extractive answer beside retrieval alone (issue 15), in one process over the Contoso index: for each ground-truth
/// question, the CPU of retrieval alone (question embedding and hybrid search, top 5), of a whole answer as the product
/// gives it (retrieval, the answerer reading stored sentence vectors and the retrieval's question vector, the interaction
/// recorded), and of the same answer with every sentence and the question embedded again for each question, as before.
/// The two answers must be the same text for every question. Blocks of all questions per variant, in rotating order.
/// </summary>
internal static class AnswerSpeedBenchmark
{
    private const int Top = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = new Arguments(args).Int("--rounds", 3);
        await using var contoso = await ContosoIndex.StartAsync(
            args,
            questions => $"answer benchmark: {questions.Count} ground-truth questions, top {Top}, hybrid, default threshold; CPU of this process, {rounds} rounds");
        if (contoso is not { Questions: var questions, Stack: var stack })
        {
            return 1;
        }

        var retriever = stack.Get<Retriever>();
        var stored = stack.Get<QuestionAnswerer>();
        var perQuestion = PerQuestionAnswerer(stack);
        var variants = new (string Name, Func<string, Task<string>> Run)[]
        {
            ("retrieval alone", async question => (await retriever.RetrieveAsync(new RetrievalRequest(question, SearchMode.Hybrid, Top, null, ChunkFilter.Unrestricted))).Chunks.Count.ToString(CultureInfo.InvariantCulture)),
            ("answer, stored sentence vectors", async question => (await stored.AskAsync(Request(question))).Answer),
            ("answer, sentences embedded per question (before)", async question => (await perQuestion.AskAsync(Request(question))).Answer),
        };

        // Warm up (JIT, the vectors in memory, lazily stored sentences) and check that both answerers say the same.
        var same = 0;
        var differing = new List<string>();
        foreach (var question in questions)
        {
            await variants[0].Run(question.Question);
            var after = await variants[1].Run(question.Question);
            var before = await variants[2].Run(question.Question);
            if (after == before)
            {
                same++;
            }
            else
            {
                differing.Add($"  {question.Question}\n    before: {before}\n    after:  {after}");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"same answer text from both answerers: {same}/{questions.Count}"));
        differing.ForEach(Console.WriteLine);

        var cpu = new double[variants.Length];
        var wall = new double[variants.Length];
        for (var round = 0; round < rounds; round++)
        {
            for (var step = 0; step < variants.Length; step++)
            {
                var variant = (round + step) % variants.Length;
                var timing = Timing.Start();
                foreach (var question in questions)
                {
                    await variants[variant].Run(question.Question);
                }

                cpu[variant] += timing.Cpu.TotalMilliseconds;
                wall[variant] += timing.Wall.TotalMilliseconds;
            }
        }

        var asked = (double)rounds * questions.Count;
        Console.WriteLine();
        Console.WriteLine($"{"variant",-50} {"CPU ms",8} {"wall ms",8} {"x retrieval CPU",16}");
        for (var variant = 0; variant < variants.Length; variant++)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{variants[variant].Name,-50} {cpu[variant] / asked,8:F1} {wall[variant] / asked,8:F1} {cpu[variant] / cpu[0],16:F2}"));
        }

        Console.WriteLine("(per question, mean over all rounds; CPU is this process's, all threads)");
        await PrintSizesAsync(stack);
        Console.WriteLine(Machine.AtEnd());
        return same == questions.Count ? 0 : 1;
    }

    private static QuestionRequest Request(string question) => new(question, [], SearchMode.Hybrid, Top, null, ChunkFilter.Unrestricted);

    /// <summary>The product's answerer, but with an extractive answerer that embeds the question and every sentence for each question.</summary>
    private static QuestionAnswerer PerQuestionAnswerer(EmbeddedStack stack)
    {
        var embeddings = stack.Get<IEmbeddingGenerator<string, Embedding<float>>>();
        var options = stack.Get<IOptions<ExtractiveOptions>>();
        var forgetful = new ExtractiveChatClient(embeddings, new SentenceVectors(embeddings, stack.Get<EmbeddingModelProfile>(), new ForgetfulStore(), options), options);
        return new QuestionAnswerer(
            stack.Get<Retriever>(),
            stack.Get<QueryRewriter>(),
            stack.Get<PromptBuilder>(),
            new WithoutQuestionVector(forgetful),
            stack.Get<ChatModelProfile>(),
            stack.Get<IInteractionStore>(),
            stack.Get<IOptions<AnswerOptions>>(),
            TimeProvider.System,
            stack.Get<RagtuneMetrics>(),
            stack.Get<ILogger<QuestionAnswerer>>());
    }

    /// <summary>The index file's size and what the sentence vectors take of it.</summary>
    private static async Task PrintSizesAsync(EmbeddedStack stack)
    {
        var database = stack.Get<SqliteDatabase>();
        await using var connection = await database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT count(*) FROM chunks), (SELECT coalesce(sum(length(text) + length(vector) + length(section)), 0) FROM chunks),
                   (SELECT count(*) FROM sentence_vectors), (SELECT coalesce(sum(length(vector) + length(hash) + length(document_id)), 0) FROM sentence_vectors),
                   (SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size());
            """;
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"index file {reader.GetInt64(4) / 1e6:F1} MB: {reader.GetInt64(0)} chunks ({reader.GetInt64(1) / 1e6:F1} MB of text, vectors, sections), {reader.GetInt64(2)} sentence vectors ({reader.GetInt64(3) / 1e6:F1} MB)"));
    }

    /// <summary>Hands the answerer no question vector, so it embeds the question again as it used to.</summary>
    private sealed class WithoutQuestionVector(IChatClient inner) : DelegatingChatClient(inner)
    {
        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (options?.AdditionalProperties?[GroundingContext.PropertyName] is GroundingContext grounding)
            {
                options = options.Clone();
                options.AdditionalProperties![GroundingContext.PropertyName] = grounding with { QuestionVector = default };
            }

            return base.GetStreamingResponseAsync(messages, options, cancellationToken);
        }
    }

    /// <summary>A store that keeps nothing: every sentence is embedded for every answer.</summary>
    private sealed class ForgetfulStore : ISentenceVectorStore
    {
        public Task<IReadOnlyDictionary<SentenceKey, float[]>> FindAsync(IReadOnlyCollection<SentenceKey> keys, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyDictionary<SentenceKey, float[]>>(new Dictionary<SentenceKey, float[]>());

        public Task SaveAsync(IReadOnlyList<(SentenceKey Key, float[] Vector)> vectors, long? generation, CancellationToken cancellationToken = default) =>
            Task.CompletedTask;
    }
}
