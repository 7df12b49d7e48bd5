using System.Globalization;
using Ragtune.Core.Index;
using Ragtune.Core.Retrieval;

namespace Ragtune.Benchmarks;

/// <summary>
/// Calibrates the default minimum similarity for MiniLM on the Contoso documents (issue 3). For the ground-truth
/// questions (in domain): the cosine of the best chunk of the whole index, and of the best chunk on a cited page. For
/// off-topic questions (trivia, cooking, sports, programming, other companies' products): the best chunk's cosine. Then,
/// for each threshold, the share of in-domain questions that would lose their cited chunk and of off-topic questions
/// that would wrongly be answered (some chunk passes, so the chat model is called). Cosines come from Core's
/// <see cref="Retriever"/> in vector mode with the threshold off.
/// </summary>
internal static class ThresholdCalibrationBenchmark
{
    /// <summary>Questions the Contoso documents do not answer, by kind.</summary>
    private static readonly (string Kind, string Question)[] OffTopicQuestions =
    [
        ("trivia", "What is the capital of Australia?"),
        ("trivia", "Who wrote the novel Pride and Prejudice?"),
        ("trivia", "How many moons does Jupiter have?"),
        ("trivia", "When did the Berlin Wall fall?"),
        ("trivia", "What is the tallest mountain in Africa?"),
        ("trivia", "Which element has the chemical symbol Au?"),
        ("trivia", "Who painted the Mona Lisa?"),
        ("trivia", "What causes the northern lights?"),
        ("cooking", "How long should I knead bread dough?"),
        ("cooking", "At what temperature should I roast a whole chicken?"),
        ("cooking", "How do I make a sourdough starter from scratch?"),
        ("cooking", "What can I use instead of eggs in pancakes?"),
        ("cooking", "How do you make risotto creamy without adding cream?"),
        ("cooking", "Is it safe to eat raw cookie dough?"),
        ("sports", "Who won the FIFA World Cup in 2018?"),
        ("sports", "How many players does a basketball team have on the court?"),
        ("sports", "What is the offside rule in soccer?"),
        ("sports", "How long is a marathon in kilometres?"),
        ("sports", "Which tennis player has won the most Grand Slam titles?"),
        ("sports", "How is a touchdown scored in American football?"),
        ("programming", "How do I reverse a linked list in Python?"),
        ("programming", "What is the difference between a struct and a class in C#?"),
        ("programming", "How do I undo the last git commit?"),
        ("programming", "Why does my JavaScript promise never resolve?"),
        ("programming", "How do I center a div with CSS flexbox?"),
        ("programming", "What does a NullPointerException mean in Java?"),
        ("programming", "How do I write a SQL query that finds duplicate rows?"),
        ("products", "How do I reset my iPhone to factory settings?"),
        ("products", "What is the driving range of a Tesla Model 3?"),
        ("products", "How do I cancel my Netflix subscription?"),
        ("products", "Does the Samsung Galaxy S24 support wireless charging?"),
        ("products", "How do I return an item I bought on Amazon?"),
        ("products", "What is included in a Microsoft 365 Family subscription?"),
        ("products", "How much does Spotify Premium cost for students?"),
        ("products", "How do I pair Sony WH-1000XM5 headphones with a laptop?"),
        ("everyday", "What is the weather forecast for Paris tomorrow?"),
        ("everyday", "How do I get rid of aphids on my roses?"),
        ("everyday", "How do I fix a flat tyre on a bicycle?"),
        ("everyday", "What is the best way to learn Spanish quickly?"),
        ("everyday", "How does photosynthesis work?"),
        ("other insurers", "Does Blue Cross Blue Shield cover acupuncture?"),
        ("other insurers", "How much does Kaiser Permanente charge for an emergency room visit?"),
    ];

    private const int ContextChunks = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        await using var contoso = await ContosoIndex.StartAsync(
            args,
            questions => $"threshold benchmark: {questions.Count} in-domain (ground-truth) questions, {OffTopicQuestions.Length} off-topic questions; cosine of MiniLM vectors");
        if (contoso is not { Questions: var questions, Stack: var stack })
        {
            return 1;
        }

        var retriever = stack.Get<Retriever>();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"current default minimum similarity: {retriever.DefaultMinSimilarity:F3}"));

        var best = new List<double>();
        var cited = new List<double>();
        var context = new List<double>();
        foreach (var question in questions)
        {
            var hybrid = await retriever.RetrieveAsync(new RetrievalRequest(question.Question, SearchMode.Hybrid, ContextChunks, -1f, ChunkFilter.Unrestricted));
            context.AddRange(hybrid.Chunks.Select(hit => (double)hit.Similarity));
            best.Add(await BestSimilarityAsync(retriever, question.Question, ChunkFilter.Unrestricted, _ => true));
            var onCitedPages = new List<double>();
            foreach (var file in question.Cited.GroupBy(c => c.File))
            {
                var inFile = new ChunkFilter(AccessScope.Unrestricted, [file.Key]);
                onCitedPages.Add(await BestSimilarityAsync(retriever, question.Question, inFile, chunk => file.Any(c => c.IsOn(chunk))));
            }

            cited.Add(onCitedPages.Max());
        }

        var offTopic = new List<double>();
        foreach (var (_, question) in OffTopicQuestions)
        {
            offTopic.Add(await BestSimilarityAsync(retriever, question, ChunkFilter.Unrestricted, _ => true));
        }

        Console.WriteLine();
        Console.WriteLine($"{"cosine distributions",-44} {"min",7} {"p5",7} {"p25",7} {"median",7} {"max",7}");
        Console.WriteLine($"{"in-domain: best chunk",-44} {Statistics.Summary(best)}");
        Console.WriteLine($"{"in-domain: best chunk on a cited page",-44} {Statistics.Summary(cited)}");
        Console.WriteLine($"{"in-domain: hybrid top-5 chunks (the context)",-44} {Statistics.Summary(context)}");
        Console.WriteLine($"{"off-topic: best chunk",-44} {Statistics.Summary(offTopic)}");
        foreach (var kind in OffTopicQuestions.Select(q => q.Kind).Distinct())
        {
            var ofKind = OffTopicQuestions.Select((q, i) => (q.Kind, Cosine: offTopic[i])).Where(q => q.Kind == kind).Select(q => q.Cosine).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"off-topic, " + kind + $" ({ofKind.Count})",-42} {ofKind.Min(),7:0.000} {string.Empty,7} {string.Empty,7} {Statistics.Median(ofKind),7:0.000} {ofKind.Max(),7:0.000}"));
        }

        Console.WriteLine();
        Console.WriteLine($"{"threshold",9} {"in-domain: cited",17} {"in-domain: no",14} {"in-domain: context",19} {"off-topic:",11}");
        Console.WriteLine($"{string.Empty,9} {"chunk lost",17} {"chunk at all",14} {"chunks dropped",19} {"answered",11}");
        for (var step = 0; step <= 10; step++)
        {
            var threshold = Math.Round(0.2 + (step * 0.025), 3);
            var lost = cited.Count(c => c < threshold) / (double)cited.Count;
            var none = best.Count(c => c < threshold) / (double)best.Count;
            var answered = offTopic.Count(c => c >= threshold) / (double)offTopic.Count;
            var dropped = context.Count(c => c < threshold) / (double)context.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{threshold,9:0.000} {Percent(lost),17} {Percent(none),14} {Percent(dropped),19} {Percent(answered),11}"));
        }

        Console.WriteLine("(cited chunk lost: the best chunk on a cited page is below the threshold; no chunk at all: even the best chunk is,");
        Console.WriteLine(" so the answer says the documents do not cover the question; context chunks dropped: of the hybrid top 5 with the threshold off;");
        Console.WriteLine(" off-topic answered: some chunk passes, so the chat model is called)");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"lowest cited-page cosine {cited.Min():0.000}; the off-topic cosines nearest below it: {string.Join(", ", offTopic.Where(c => c < cited.Min()).OrderDescending().Take(3).Select(c => c.ToString("0.000", CultureInfo.InvariantCulture)))}"));
        Console.WriteLine();
        Console.WriteLine("off-topic questions at or above 0.25:");
        foreach (var (question, cosine) in OffTopicQuestions.Select((q, i) => (q.Question, offTopic[i])).Where(q => q.Item2 >= 0.25).OrderByDescending(q => q.Item2))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {cosine:0.000}  {question}"));
        }

        Console.WriteLine(Machine.AtEnd());
        return 0;
    }

    private static string Percent(double share) => string.Create(CultureInfo.InvariantCulture, $"{100 * share:F1}%");

    /// <summary>The highest cosine similarity of a chunk that passes the filter and <paramref name="counts"/>, or -1 when none.</summary>
    private static async Task<double> BestSimilarityAsync(Retriever retriever, string question, ChunkFilter filter, Func<IndexChunk, bool> counts)
    {
        // Vector mode ranks by cosine; a filtered search looks through every chunk of the file.
        var top = ReferenceEquals(filter, ChunkFilter.Unrestricted) ? 1 : 2_000;
        var result = await retriever.RetrieveAsync(new RetrievalRequest(question, SearchMode.Vector, top, -1f, filter));
        return result.Chunks.Where(hit => counts(hit.Chunk)).Select(hit => (double)hit.Similarity).DefaultIfEmpty(-1).Max();
    }
}
