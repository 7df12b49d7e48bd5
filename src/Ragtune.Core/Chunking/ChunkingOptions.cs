using System.ComponentModel.DataAnnotations;

namespace Ragtune.Core.Chunking;

/// <summary>How documents are cut into chunks for embedding. Bound from <see cref="SectionName"/>.</summary>
public sealed class ChunkingOptions : IValidatableObject
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Ragtune:Chunking";

    /// <summary>
    /// The most tokens one chunk may hold, special tokens included. The default, 256, is what all-MiniLM-L6-v2 was
    /// trained on. The chunker uses the smaller of this and the embedding model's own input limit, minus the tokens
    /// the model adds to every input.
    /// </summary>
    [Range(16, 65_536)]
    public int MaxTokens { get; set; } = 256;

    /// <summary>
    /// How many tokens of the end of one chunk (whole sentences, or words when a sentence is longer) are repeated at
    /// the start of the next, so that a passage cut in two is still found whole. Must be under half of
    /// <see cref="MaxTokens"/>.
    /// </summary>
    [Range(0, 32_768)]
    public int OverlapTokens { get; set; } = 32;

    /// <summary>
    /// The fewest tokens of its own (overlap aside) a chunk should hold. A chunk is not ended this early at a strong
    /// boundary (a heading, a paragraph) when a later cut is possible, and a document's last piece shorter than this
    /// is merged into the chunk before it where they fit together. Must be under half of <see cref="MaxTokens"/>; for a
    /// model whose input limit is smaller, it is lowered to under half of that limit.
    /// </summary>
    [Range(0, 32_768)]
    public int MinChunkTokens { get; set; } = 64;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OverlapTokens * 2 >= MaxTokens)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(OverlapTokens)} ({OverlapTokens}) must be less than half of {nameof(MaxTokens)} ({MaxTokens}).",
                [nameof(OverlapTokens)]);
        }

        if (MinChunkTokens * 2 >= MaxTokens)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(MinChunkTokens)} ({MinChunkTokens}) must be less than half of {nameof(MaxTokens)} ({MaxTokens}).",
                [nameof(MinChunkTokens)]);
        }
    }
}
