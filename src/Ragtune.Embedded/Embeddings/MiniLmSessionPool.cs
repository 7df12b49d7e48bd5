using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Ragtune.Embedded.Embeddings;

/// <summary>
/// A fixed set of ONNX Runtime sessions over one copy of the model. A caller rents a session for one inference
/// (one input or one batch) and gives it back, so concurrent callers interleave fairly and at most
/// <see cref="Count"/> inferences run at once, whoever asks.
/// </summary>
internal sealed class MiniLmSessionPool : IDisposable
{
    private const string HiddenStateOutput = "last_hidden_state";

    private static readonly string[] InputNames = ["input_ids", "attention_mask", "token_type_ids"];
    private static readonly string[] OutputNames = [HiddenStateOutput];

    private readonly PrePackedWeightsContainer _prePackedWeights;
    private readonly InferenceSession[] _sessions;
    private readonly ConcurrentStack<InferenceSession> _idle;
    private readonly SemaphoreSlim _available;
    private readonly CancellationTokenSource _disposing = new();
    private int _disposed;

    private MiniLmSessionPool(PrePackedWeightsContainer prePackedWeights, InferenceSession[] sessions)
    {
        _prePackedWeights = prePackedWeights;
        _sessions = sessions;
        _idle = new ConcurrentStack<InferenceSession>(sessions);
        _available = new SemaphoreSlim(sessions.Length, sessions.Length);
    }

    public int Count => _sessions.Length;

    /// <summary>Where the sessions loaded the model from: the model file's path, or the package resource.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// Creates the sessions from the model file in <see cref="MiniLmOptions.ModelCacheDirectory"/> (written from the
    /// resource the first time), or from the resource's bytes when there is no such directory or it cannot be written;
    /// the sessions share their pre-packed weights. Blocks for about 0.3 s a session plus the runtime's start: call it
    /// off the request path.
    /// </summary>
    public static MiniLmSessionPool Load(MiniLmOptions options, Action<Exception> cacheFailed)
    {
        string? file = null;
        if (!string.IsNullOrEmpty(options.ModelCacheDirectory))
        {
            try
            {
                file = MiniLmModel.ExtractModel(options.ModelCacheDirectory);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                cacheFailed(exception);
            }
        }

        var model = file is null ? MiniLmModel.ReadModelBytes() : null;
        var prePackedWeights = new PrePackedWeightsContainer();
        var sessions = new List<InferenceSession>(options.Sessions);
        try
        {
            using var sessionOptions = new SessionOptions
            {
                IntraOpNumThreads = options.IntraOpThreads,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            for (var i = 0; i < options.Sessions; i++)
            {
                sessions.Add(model is null
                    ? new InferenceSession(file, sessionOptions, prePackedWeights)
                    : new InferenceSession(model, sessionOptions, prePackedWeights));
            }

            CheckSignature(sessions[0]);
            return new MiniLmSessionPool(prePackedWeights, [.. sessions]) { Source = file ?? "the package resource" };
        }
        catch (Exception exception)
        {
            sessions.ForEach(session => session.Dispose());
            prePackedWeights.Dispose();
            if (exception is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException)
            {
                throw new EmbeddingFailedException($"ONNX Runtime could not load {MiniLmModel.ModelId}.", exception);
            }

            throw;
        }
    }

    /// <summary>
    /// Embeds a batch of inputs (token ids with [CLS] and [SEP]) on the next free session: mean pooling over each
    /// input's own tokens, then L2 normalisation. Cancellation stops a running inference too.
    /// </summary>
    /// <summary>
    /// Runs a batch on the calling thread, on the first idle session (waiting for one). Callers run it on a thread of
    /// their own: inference is long CPU-bound work that must not hold thread-pool threads.
    /// </summary>
    public float[][] Run(IReadOnlyList<int[]> batch, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        try
        {
            _available.Wait(linked.Token);
            if (!_idle.TryPop(out var session))
            {
                throw new InvalidOperationException("A session slot was free but no session was idle.");
            }

            try
            {
                return Run(session, batch, linked.Token);
            }
            finally
            {
                _idle.Push(session);
                _available.Release();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(MiniLmSessionPool));
        }
    }

    /// <summary>Stops running inferences, waits for them to hand their sessions back, then releases the sessions.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _disposing.Cancel();
        for (var i = 0; i < _sessions.Length; i++)
        {
            _available.Wait();
        }

        foreach (var session in _sessions)
        {
            session.Dispose();
        }

        _prePackedWeights.Dispose();
        _available.Dispose();
        _disposing.Dispose();
    }

    private static void CheckSignature(InferenceSession session)
    {
        var inputsMatch = InputNames.All(session.InputMetadata.ContainsKey);
        var outputMatches = session.OutputMetadata.TryGetValue(HiddenStateOutput, out var output)
            && output.Dimensions is [_, _, MiniLmModel.Dimensions];
        if (!inputsMatch || !outputMatches)
        {
            throw new EmbeddingFailedException(
                $"The packaged model does not have the inputs ({string.Join(", ", InputNames)}) and the {HiddenStateOutput} output of {MiniLmModel.ModelId}.");
        }
    }

    private static float[][] Run(InferenceSession session, IReadOnlyList<int[]> batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var count = batch.Count;
        var length = batch.Max(ids => ids.Length);
        var inputIds = new long[count * length];
        var attentionMask = new long[count * length];
        var tokenTypeIds = new long[count * length];
        for (var row = 0; row < count; row++)
        {
            var ids = batch[row];
            for (var position = 0; position < ids.Length; position++)
            {
                inputIds[(row * length) + position] = ids[position];
                attentionMask[(row * length) + position] = 1;
            }
        }

        using var runOptions = new RunOptions();
        using var terminate = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        long[] shape = [count, length];
        using var inputIdsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var attentionMaskValue = OrtValue.CreateTensorValueFromMemory(attentionMask, shape);
        using var tokenTypeIdsValue = OrtValue.CreateTensorValueFromMemory(tokenTypeIds, shape);
        try
        {
            using var outputs = session.Run(runOptions, InputNames, [inputIdsValue, attentionMaskValue, tokenTypeIdsValue], OutputNames);
            return Pool(outputs[0].GetTensorDataAsSpan<float>(), batch, length);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (OnnxRuntimeException exception)
        {
            throw new EmbeddingFailedException($"{MiniLmModel.ModelId} failed on a batch of {count} inputs of up to {length} tokens.", exception);
        }
    }

    /// <summary>
    /// Mean pooling over each input's real tokens (padding excluded), then L2 normalisation. The mean's division
    /// by the token count is left out: normalisation removes any positive scale.
    /// </summary>
    private static float[][] Pool(ReadOnlySpan<float> hiddenStates, IReadOnlyList<int[]> batch, int length)
    {
        const int Dimensions = MiniLmModel.Dimensions;
        var vectors = new float[batch.Count][];
        for (var row = 0; row < batch.Count; row++)
        {
            var vector = new float[Dimensions];
            var states = hiddenStates.Slice(row * length * Dimensions, batch[row].Length * Dimensions);
            for (var token = 0; token < batch[row].Length; token++)
            {
                TensorPrimitives.Add(vector, states.Slice(token * Dimensions, Dimensions), vector);
            }

            var norm = TensorPrimitives.Norm<float>(vector);
            if (norm > 0)
            {
                TensorPrimitives.Divide(vector, norm, vector);
            }

            vectors[row] = vector;
        }

        return vectors;
    }
}
