using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Ragtune.Core.Documents;
using Ragtune.Core.Embeddings;

namespace Ragtune.Core.Chunking;

/// <summary>
/// Cuts a document's text into chunks the embedding model reads whole. Sizes are counted with the model's own
/// tokenizer and no chunk exceeds the model's limit. Chunks end at the strongest boundary available (heading,
/// paragraph, table row or list item, sentence, clause, word; inside a word only for a word longer than a chunk),
/// keep short tables and lists whole, keep a heading with the text after it, and start with up to
/// <see cref="ChunkingOptions.OverlapTokens"/> of the previous chunk's last sentences. Deterministic, and safe to
/// share: each call keeps its own state.
/// </summary>
public sealed class TextChunker
{
    /// <summary>
    /// The version of what turns a document into the texts that are embedded: the readers' structure (headings), the
    /// chunking rules, and the heading path in front of each chunk. Raise it with any change that cuts or embeds the same
    /// document differently, so that indexes made before are made again once (<see cref="Fingerprint"/>).
    /// Version 2: chunks carry their heading path (PDF headings from the letters' size and weight).
    /// </summary>
    public const int Version = 2;

    private readonly TokenCounter _counter;
    private readonly int _overlapTokens;
    private readonly int _minChunkTokens;

    public TextChunker(EmbeddingModelProfile profile, IOptions<ChunkingOptions> options)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(options);

        var settings = options.Value;
        MaxChunkTokens = Math.Min(settings.MaxTokens, profile.MaxInputTokens) - profile.ReservedTokens;
        if (MaxChunkTokens <= 0 || settings.OverlapTokens * 2 >= MaxChunkTokens)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ChunkingOptions), [
                $"{ChunkingOptions.SectionName}:{nameof(ChunkingOptions.OverlapTokens)} ({settings.OverlapTokens}) must be less than half "
                + $"of the chunk limit for {profile.ModelId}: the smaller of {nameof(ChunkingOptions.MaxTokens)} ({settings.MaxTokens}) "
                + $"and the model's input limit ({profile.MaxInputTokens}), less {profile.ReservedTokens} reserved tokens, is {MaxChunkTokens}.",
            ]);
        }

        _counter = new TokenCounter(profile.Tokenizer);
        _overlapTokens = settings.OverlapTokens;

        // A preference, not a limit: for a model with a smaller input than MaxTokens it shrinks with the chunks.
        _minChunkTokens = Math.Min(settings.MinChunkTokens, (MaxChunkTokens - 1) / 2);
    }

    /// <summary>The most tokens of text one chunk holds, as the model's tokenizer counts them (special tokens excluded).</summary>
    public int MaxChunkTokens { get; }

    /// <summary>
    /// <see cref="Version"/> and the settings in effect ("2/254/32/64": version, chunk limit, overlap, minimum): a document
    /// whose catalog record names another fingerprint was cut otherwise and is ingested again, even when unchanged.
    /// </summary>
    public string Fingerprint => string.Create(CultureInfo.InvariantCulture, $"{Version}/{MaxChunkTokens}/{_overlapTokens}/{_minChunkTokens}");

    /// <summary>
    /// Chunks a document as its blocks arrive. Consecutive blocks of the same page continue one another, and a block
    /// boundary is a paragraph break. Memory stays bounded by a block and a few chunks, whatever the document's size.
    /// </summary>
    public async IAsyncEnumerable<TextChunk> ChunkAsync(
        IAsyncEnumerable<DocumentPage> pages, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pages);

        var assembler = CreateAssembler();
        await foreach (var page in pages.WithCancellation(cancellationToken))
        {
            foreach (var chunk in assembler.Add(page))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return chunk;
            }
        }

        foreach (var chunk in assembler.Complete())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return chunk;
        }
    }

    /// <summary>Chunks a document held in memory; the same chunks as <see cref="ChunkAsync"/>.</summary>
    public IReadOnlyList<TextChunk> Chunk(IEnumerable<DocumentPage> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);

        var assembler = CreateAssembler();
        var chunks = new List<TextChunk>();
        foreach (var page in pages)
        {
            chunks.AddRange(assembler.Add(page));
        }

        chunks.AddRange(assembler.Complete());
        return chunks;
    }

    private ChunkAssembler CreateAssembler() => new(_counter, MaxChunkTokens, _overlapTokens, _minChunkTokens);
}
