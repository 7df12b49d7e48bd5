using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using Ragtune.Core.Index;

namespace Ragtune.Benchmarks;

/// <summary>
/// A synthetic chunk index for search benchmarks: random unit vectors, and texts drawn from a Zipf-distributed
/// vocabulary so that the full-text index has realistic postings (a few words in nearly every chunk, most words rare).
/// Documents of 20 chunks; one in ten belongs to group "hr". Also the floor searches are judged against: a raw exact
/// scan of the same vectors.
/// </summary>
internal sealed class SyntheticCorpus
{
    private const int ChunksPerDocument = 20;

    private SyntheticCorpus(Vocabulary vocabulary, float[] vectors, int dimensions)
    {
        Vocabulary = vocabulary;
        Vectors = vectors;
        Dimensions = dimensions;
    }

    public Vocabulary Vocabulary { get; }

    /// <summary>Every chunk's vector, row after row, in the order written.</summary>
    public float[] Vectors { get; }

    public int Dimensions { get; }

    /// <summary>Question texts of the two kinds the search benchmarks report, with their labels.</summary>
    public IReadOnlyList<(string Label, Func<Random, string> Text)> QuestionKinds =>
    [
        ("questions of 3-6 words drawn from the whole vocabulary (common words included)", r => Vocabulary.Sentence(r, r.Next(3, 7))),
        ("questions of 3-6 words outside the 100 most common", r => Vocabulary.Sentence(r, r.Next(3, 7), skipMostCommon: 100)),
    ];

    /// <summary>Writes <paramref name="chunks"/> chunks into <paramref name="index"/>, one replacement per document of 20 chunks.</summary>
    public static async Task<SyntheticCorpus> WriteAsync(IChunkIndex index, int chunks, int dimensions, Random random)
    {
        var vocabulary = new Vocabulary(random);
        var all = new float[(long)chunks * dimensions];
        for (var start = 0; start < chunks; start += ChunksPerDocument)
        {
            var source = string.Create(CultureInfo.InvariantCulture, $"corpus/{start / 1000:D3}/doc-{start}.md");
            var documentId = DocumentIds.ForSource(source);
            string[] groups = (start / ChunksPerDocument) % 10 == 0 ? ["hr"] : [];
            var batch = new List<IndexChunk>(ChunksPerDocument);
            for (var i = start; i < Math.Min(start + ChunksPerDocument, chunks); i++)
            {
                var vector = all.AsMemory(i * dimensions, dimensions);
                RandomUnit(random, vector.Span);
                var text = vocabulary.Sentence(random, random.Next(30, 61));
                batch.Add(new IndexChunk(DocumentIds.ForChunk(documentId, i - start), documentId, i - start, source, 1, text, DocumentIds.ContentHash(text), groups, vector));
            }

            await using var replacement = await index.BeginReplaceAsync(documentId);
            await replacement.AddAsync(batch);
            await replacement.CommitAsync();
        }

        return new SyntheticCorpus(vocabulary, all, dimensions);
    }

    public static float[] RandomUnit(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        RandomUnit(random, vector);
        return vector;
    }

    public static void RandomUnit(Random random, Span<float> vector)
    {
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        TensorPrimitives.Divide(vector, TensorPrimitives.Norm(vector), vector);
    }

    /// <summary>The floor: top <paramref name="top"/> by dot product over one contiguous array, no filter, no database.</summary>
    public int[] RawScan(float[] query, int threads, int top)
    {
        var vectors = Vectors;
        var dimensions = Dimensions;
        var rows = vectors.Length / dimensions;
        var partial = new PriorityQueue<int, float>[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var heap = new PriorityQueue<int, float>(top + 1);
            var end = (int)((long)rows * (t + 1) / threads);
            for (var r = (int)((long)rows * t / threads); r < end; r++)
            {
                var score = TensorPrimitives.Dot(query, new ReadOnlySpan<float>(vectors, r * dimensions, dimensions));
                if (heap.Count < top)
                {
                    heap.Enqueue(r, score);
                }
                else if (heap.TryPeek(out _, out var worst) && score > worst)
                {
                    heap.EnqueueDequeue(r, score);
                }
            }

            partial[t] = heap;
        });

        var merged = new PriorityQueue<int, float>();
        foreach (var heap in partial)
        {
            while (heap.TryDequeue(out var row, out var score))
            {
                merged.Enqueue(row, -score);
            }
        }

        return [.. Enumerable.Range(0, Math.Min(top, merged.Count)).Select(_ => merged.Dequeue())];
    }
}

/// <summary>Made-up words with Zipf frequencies (the word of rank r is drawn with probability proportional to 1/r).</summary>
internal sealed class Vocabulary
{
    private const int Size = 20_000;

    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qui", "ber", "dan", "fel", "gor", "hul",
        "jin", "kes", "lum", "mor", "nal", "pri", "sto", "tra", "vel", "wen", "xo", "yar", "zul", "cor",
    ];

    private readonly string[] _words = new string[Size];
    private readonly double[] _cumulative = new double[Size];

    public Vocabulary(Random random)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Size; i++)
        {
            string word;
            do
            {
                var builder = new StringBuilder();
                for (var s = random.Next(1, 4); s >= 0; s--)
                {
                    builder.Append(Syllables[random.Next(Syllables.Length)]);
                }

                word = builder.ToString();
            }
            while (!seen.Add(word));

            _words[i] = word;
            _cumulative[i] = (i == 0 ? 0 : _cumulative[i - 1]) + (1.0 / (i + 1));
        }
    }

    public string Sentence(Random random, int words, int skipMostCommon = 0)
    {
        var builder = new StringBuilder();
        for (var w = 0; w < words; w++)
        {
            var low = _cumulative[skipMostCommon == 0 ? 0 : skipMostCommon - 1];
            var target = low + (random.NextDouble() * (_cumulative[^1] - low));
            var rank = Array.BinarySearch(_cumulative, target);
            builder.Append(w == 0 ? "" : " ").Append(_words[Math.Max(skipMostCommon, rank < 0 ? ~rank : rank)]);
        }

        return builder.ToString();
    }
}
