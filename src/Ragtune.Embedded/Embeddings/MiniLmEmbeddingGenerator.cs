using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.Tokenizers;
using Ragtune.Core.Embeddings;

namespace Ragtune.Embedded.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 on ONNX Runtime, in process: 384-d unit vectors (mean pooling over the tokens, then L2
/// normalisation), so a dot product is the cosine similarity.
/// </summary>
/// <remarks>
/// <para>
/// Inputs are tokenized with <see cref="Profile"/>'s BERT uncased tokenizer (the one the model was trained with and the
/// one that sizes chunks) and truncated to <see cref="MiniLmModel.MaxInputTokens"/> tokens, [CLS] and [SEP] included:
/// a longer input is embedded as its first 254 word pieces. An empty or blank input is embedded as is ([CLS] [SEP]
/// only), which gives one fixed unit vector.
/// </para>
/// <para>
/// The model is loaded on first use (or by <see cref="LoadAsync"/>), on the thread pool and once for all callers, not
/// in the constructor: resolving the generator from DI costs only the tokenizer's vocabulary, read from memory.
/// A failed load is tried again by the next call. Each call sorts its inputs by length, groups short neighbours into
/// batches within <see cref="MiniLmOptions.BatchTokenBudget"/>, and spreads the batches over the
/// <see cref="MiniLmOptions.Sessions"/> sessions; results come back in input order. Cancellation stops a call between
/// batches and interrupts a running inference. A failure of the model is an <see cref="EmbeddingFailedException"/>,
/// which is permanent.
/// </para>
/// </remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private static readonly EmbeddingGeneratorMetadata Metadata =
        new("embedded", providerUri: null, MiniLmModel.ModelId, MiniLmModel.Dimensions);

    private readonly MiniLmOptions _options;
    private readonly ILogger _logger;
    private readonly BertTokenizer _tokenizer;
    private readonly Lock _gate = new();
    private Task<MiniLmSessionPool>? _pool;
    private bool _disposed;
    private long _inferenceCount;

    /// <param name="options">Sessions and batching, copied here; the defaults suit a machine of any size.</param>
    /// <param name="logger">Where the model's load is reported.</param>
    /// <exception cref="ValidationException">An option is out of range.</exception>
    public MiniLmEmbeddingGenerator(MiniLmOptions? options = null, ILogger<MiniLmEmbeddingGenerator>? logger = null)
    {
        options ??= new MiniLmOptions();
        _options = new MiniLmOptions
        {
            Sessions = options.Sessions,
            IntraOpThreads = options.IntraOpThreads,
            BatchTokenBudget = options.BatchTokenBudget,
        };
        Validator.ValidateObject(_options, new ValidationContext(_options), validateAllProperties: true);
        _logger = logger ?? NullLogger<MiniLmEmbeddingGenerator>.Instance;
        _tokenizer = MiniLmModel.CreateTokenizer();
        Profile = MiniLmModel.CreateProfile(_tokenizer);
    }

    /// <summary>The model's profile for Core, holding the very tokenizer that feeds the model.</summary>
    public EmbeddingModelProfile Profile { get; }

    /// <summary>Inferences run so far (one per input or per batch), for tests.</summary>
    internal long InferenceCount => Interlocked.Read(ref _inferenceCount);

    /// <summary>
    /// Loads the model now instead of on the first call (a host can warm up at start). Waiting can be cancelled; the
    /// load itself goes on for the next caller.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default) => await GetPoolAsync(cancellationToken);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckOptions(options);
        ObjectDisposedException.ThrowIf(_disposed, this);

        var inputs = values.Select(Tokenize).ToArray();
        if (inputs.Length == 0)
        {
            return [];
        }

        var pool = await GetPoolAsync(cancellationToken);
        var vectors = await EmbedAsync(pool, inputs, cancellationToken);

        var createdAt = DateTimeOffset.UtcNow;
        var tokens = inputs.Sum(ids => (long)ids.Length);
        return new GeneratedEmbeddings<Embedding<float>>(
            vectors.Select(vector => new Embedding<float>(vector) { ModelId = MiniLmModel.ModelId, CreatedAt = createdAt }))
        {
            Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens },
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return Metadata;
        }

        if (serviceType == typeof(EmbeddingModelProfile))
        {
            return Profile;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Releases the sessions, after stopping any inference still running. A load in progress is released when it ends.</summary>
    public void Dispose()
    {
        Task<MiniLmSessionPool>? pool;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            pool = _pool;
        }

        if (pool is null)
        {
            return;
        }

        if (pool.IsCompleted)
        {
            if (pool.IsCompletedSuccessfully)
            {
                pool.Result.Dispose();
            }

            return;
        }

        _ = pool.ContinueWith(
            static loaded => loaded.Result.Dispose(),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>The token ids the model reads for <paramref name="text"/>: [CLS], at most 254 word pieces, [SEP].</summary>
    internal int[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = _tokenizer.EncodeToIds(text, addSpecialTokens: false);
        var kept = Math.Min(pieces.Count, MiniLmModel.MaxInputTokens - MiniLmModel.ReservedTokens);
        var ids = new int[kept + MiniLmModel.ReservedTokens];
        ids[0] = _tokenizer.ClassificationTokenId;
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[^1] = _tokenizer.SeparatorTokenId;
        return ids;
    }

    /// <summary>
    /// Groups inputs into batches, longest first (so the batches left at the end are the short ones). A batch holds
    /// neighbours in length: an input joins while the batch, padded to its longest input, stays within
    /// <paramref name="tokenBudget"/> and the input is at least 3/4 that long (little padding). A batch always takes
    /// at least one input. Returns input indices.
    /// </summary>
    internal static int[][] Batch(int[][] inputs, int tokenBudget)
    {
        var order = Enumerable.Range(0, inputs.Length).OrderByDescending(i => inputs[i].Length).ToArray();
        var batches = new List<int[]>();
        var start = 0;
        while (start < order.Length)
        {
            var paddedLength = inputs[order[start]].Length;
            var end = start + 1;
            while (end < order.Length
                && (end - start + 1) * paddedLength <= tokenBudget
                && inputs[order[end]].Length * 4 >= paddedLength * 3)
            {
                end++;
            }

            batches.Add(order[start..end]);
            start = end;
        }

        return [.. batches];
    }

    private static void CheckOptions(EmbeddingGenerationOptions? options)
    {
        if (options?.Dimensions is { } dimensions && dimensions != MiniLmModel.Dimensions)
        {
            throw new ArgumentException($"{MiniLmModel.ModelId} makes {MiniLmModel.Dimensions}-d vectors, not {dimensions}-d.", nameof(options));
        }

        if (options?.ModelId is { } modelId && !string.Equals(modelId, MiniLmModel.ModelId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"This generator runs {MiniLmModel.ModelId}, not {modelId}.", nameof(options));
        }
    }

    private Task<MiniLmSessionPool> GetPoolAsync(CancellationToken cancellationToken)
    {
        Task<MiniLmSessionPool> pool;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_pool is null || _pool.IsFaulted || _pool.IsCanceled)
            {
                _pool = Task.Run(Load, CancellationToken.None);
            }

            pool = _pool;
        }

        return pool.WaitAsync(cancellationToken);
    }

    private MiniLmSessionPool Load()
    {
        var stopwatch = Stopwatch.StartNew();
        var pool = MiniLmSessionPool.Load(_options, exception => Log.ModelCacheFailed(_logger, _options.ModelCacheDirectory, exception));
        Log.ModelLoaded(_logger, MiniLmModel.ModelId, pool.Count, _options.IntraOpThreads, pool.Source, stopwatch.ElapsedMilliseconds);
        return pool;
    }

    /// <summary>
    /// Runs the batches on up to one worker per session; each worker rents a session per batch, so other callers'
    /// batches interleave with these. The first failure stops the other workers. Returns once no worker runs.
    /// </summary>
    private async Task<float[][]> EmbedAsync(MiniLmSessionPool pool, int[][] inputs, CancellationToken cancellationToken)
    {
        var batches = Batch(inputs, _options.BatchTokenBudget);
        var vectors = new float[inputs.Length][];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var next = -1;

        void Work()
        {
            try
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < batches.Length)
                {
                    var batch = batches[index];
                    var results = pool.Run([.. batch.Select(input => inputs[input])], stop.Token);
                    Interlocked.Increment(ref _inferenceCount);
                    for (var row = 0; row < batch.Length; row++)
                    {
                        vectors[batch[row]] = results[row];
                    }
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                stop.Cancel();
                throw;
            }
        }

        // Dedicated threads, not the thread pool: inference holds a core for tens of milliseconds per batch, and on a
        // small machine pool threads blocked that long would starve request handling and timers.
        var workers = Enumerable.Range(0, Math.Min(pool.Count, batches.Length))
            .Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
        await Task.WhenAll(workers);
        return vectors;
    }
}
