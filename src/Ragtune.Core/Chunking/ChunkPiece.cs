namespace Ragtune.Core.Chunking;

/// <summary>
/// The smallest unit the chunker packs: a sentence, a table row, a list item, a heading, or (inside a sentence too
/// long for a chunk) a word or a fragment of an over-long word. Its tokens are counted once, when it is made.
/// </summary>
/// <param name="Text">The normalised text, without surrounding whitespace.</param>
/// <param name="Tokens">Its length in the model's tokens, special tokens excluded.</param>
/// <param name="Page">The 1-based page it comes from.</param>
/// <param name="Before">What separates it from the piece before it.</param>
/// <param name="Separator">The text that joins it to the piece before it: "", " ", "\n" or "\n\n".</param>
/// <param name="Bound">True when no chunk may end just before it (the rest of a short table or list, the text after a heading).</param>
/// <param name="IsFragment">True for the parts of a word that was split because it is longer than a chunk.</param>
/// <param name="Section">The headings it stands under (for a heading, its own path), or null before the first heading.</param>
/// <param name="IsHeading">True for a heading (or a word of a heading longer than a chunk).</param>
internal readonly record struct ChunkPiece(
    ReadOnlyMemory<char> Text,
    int Tokens,
    int Page,
    Boundary Before,
    string Separator,
    bool Bound = false,
    bool IsFragment = false,
    HeadingPath? Section = null,
    bool IsHeading = false);
