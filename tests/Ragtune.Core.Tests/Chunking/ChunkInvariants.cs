using System.Text;
using Ragtune.Core.Chunking;
using Ragtune.Core.Documents;
using Ragtune.Core.Embeddings;

namespace Ragtune.Core.Tests.Chunking;

/// <summary>
/// Checks what must hold for any input: no chunk over the limit and its token count exact; each chunk starts with at
/// most OverlapTokens of the previous chunk's end (and with some, whenever that was possible); the chunks' own text,
/// overlap removed, is the whole input in order; no cut inside a word unless the word is longer than a chunk; every
/// chunk carries the page where its own text starts; what the model reads (heading path and text) is within the limit.
/// </summary>
internal sealed class ChunkInvariants(EmbeddingModelProfile profile, ChunkingOptions options)
{
    public int Limit { get; } = Math.Min(options.MaxTokens, profile.MaxInputTokens) - profile.ReservedTokens;

    private int Count(string text) => profile.Tokenizer.CountTokens(text);

    public void AssertHold(IReadOnlyList<DocumentPage> input, IReadOnlyList<TextChunk> chunks)
    {
        var expected = InputCharacters.From(input, word => Count(word) > Limit);
        var own = new StringBuilder();
        for (var index = 0; index < chunks.Count; index++)
        {
            var chunk = chunks[index];
            Assert.Equal(index, chunk.Ordinal);
            AssertWellFormed(chunk);

            // Where the overlap ends is ambiguous when a chunk's start repeats the previous chunk's end by chance (a
            // table's "|"): take the longest candidate after which the chunk's own text continues the input.
            var overlap = index == 0 ? 0 : OverlapCandidates(chunks[index - 1].Text, chunk.Text)
                .FirstOrDefault(length => ContinuesInput(chunk.Text[length..], own.Length));
            if (index > 0)
            {
                AssertOverlapTakenWherePossible(chunks[index - 1].Text, chunk, overlap, expected, own.Length);
            }

            var ownText = NonWhitespace(chunk.Text[overlap..]);
            Assert.True(ownText.Length > 0, $"Chunk {index} has no text of its own: \"{chunk.Text}\"");

            // Where the chunk's own text starts: at a word's start (or inside a word too long for any chunk), on the
            // page the chunk names.
            var start = own.Length;
            Assert.True(start < expected.Text.Length, $"Chunk {index} holds more text than the input.");
            Assert.True(
                expected.StartsWord[start] || expected.InOverLongWord[start],
                $"Chunk {index} starts inside the word around \"{expected.Around(start)}\".");
            Assert.Equal(expected.Pages[start], chunk.Page);
            own.Append(ownText);
        }

        Assert.Equal(expected.Text, own.ToString());

        bool ContinuesInput(string text, int position)
        {
            var start = NonWhitespace(text);
            return expected.Text.AsSpan(position).StartsWith(start.AsSpan(0, Math.Min(8, start.Length)), StringComparison.Ordinal);
        }
    }

    private void AssertWellFormed(TextChunk chunk)
    {
        Assert.False(string.IsNullOrWhiteSpace(chunk.Text));

        // What the model reads is the text, after the heading path when there is one; within the limit as a whole.
        Assert.True(chunk.EmbeddingText == chunk.Text || chunk.EmbeddingText.EndsWith("\n\n" + chunk.Text, StringComparison.Ordinal), $"Chunk {chunk.Ordinal} is embedded as other text: \"{chunk.EmbeddingText}\"");
        Assert.Equal(Count(chunk.EmbeddingText), chunk.TokenCount);
        Assert.InRange(chunk.TokenCount, 1, Limit);
        Assert.True(chunk.TokenCount + profile.ReservedTokens <= Math.Min(options.MaxTokens, profile.MaxInputTokens));
        Assert.Equal(chunk.Text.Trim(), chunk.Text);
        Assert.DoesNotContain("  ", chunk.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\t", chunk.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", chunk.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(" \n", chunk.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("\n ", chunk.Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// The length of the longest start of <paramref name="next"/> that ends <paramref name="previous"/>, is made of
    /// whole words, and is at most OverlapTokens long. Text the tokenizer ignores entirely is no overlap.
    /// </summary>
    public int OverlapLength(string previous, string next) => OverlapCandidates(previous, next).First();

    /// <summary>Every length that could be the overlap, longest first, ending with 0 (no overlap).</summary>
    private IEnumerable<int> OverlapCandidates(string previous, string next)
    {
        for (var length = Math.Min(previous.Length, next.Length - 1); length > 0; length--)
        {
            if (char.IsWhiteSpace(next[length])
                && !char.IsWhiteSpace(next[length - 1])
                && (length == previous.Length || char.IsWhiteSpace(previous[previous.Length - length - 1]))
                && previous.EndsWith(next[..length], StringComparison.Ordinal)
                && Count(next[..length]) is > 0 and var tokens
                && tokens <= options.OverlapTokens)
            {
                yield return length;
            }
        }

        yield return 0;
    }

    private void AssertOverlapTakenWherePossible(string previous, TextChunk chunk, int overlap, InputCharacters expected, int ownSoFar)
    {
        if (overlap > 0 || options.OverlapTokens == 0)
        {
            return;
        }

        // The previous chunk ends with the character just before this chunk's own text.
        if (expected.InOverLongWord[ownSoFar - 1])
        {
            return;
        }

        // Would the previous chunk's last word have fitted in front? Measured joined to the chunk, whichever separator
        // it would take: a tokenizer need not be additive across a line break.
        // The heading path the chunk is embedded with takes its place in front of it.
        var lastWord = previous[(previous.LastIndexOfAny([' ', '\n']) + 1)..];
        var lastWordTokens = Count(lastWord);
        var headings = chunk.EmbeddingText[..^chunk.Text.Length];
        var joinedTokens = Math.Max(Count(headings + lastWord + " " + chunk.Text), Count(headings + lastWord + "\n" + chunk.Text));
        Assert.False(
            lastWordTokens is > 0 && lastWordTokens <= options.OverlapTokens && joinedTokens <= Limit,
            $"Chunk {chunk.Ordinal} has no overlap, though \"{lastWord}\" ({lastWordTokens} tokens) fits in front of it ({joinedTokens} tokens together).");
    }

    private static string NonWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            if (!char.IsWhiteSpace(character))
            {
                builder.Append(character);
            }
        }

        return builder.ToString();
    }

    /// <summary>The input's characters, whitespace removed, each with its page and where it stands in its word.</summary>
    private sealed class InputCharacters
    {
        private InputCharacters(string text, int[] pages, bool[] startsWord, bool[] inOverLongWord)
        {
            Text = text;
            Pages = pages;
            StartsWord = startsWord;
            InOverLongWord = inOverLongWord;
        }

        public string Text { get; }

        public int[] Pages { get; }

        public bool[] StartsWord { get; }

        public bool[] InOverLongWord { get; }

        public string Around(int index) => Text[Math.Max(0, index - 20)..Math.Min(Text.Length, index + 20)];

        public static InputCharacters From(IReadOnlyList<DocumentPage> input, Func<string, bool> isOverLong)
        {
            var text = new StringBuilder();
            var pages = new List<int>();
            var startsWord = new List<bool>();
            var inOverLongWord = new List<bool>();
            foreach (var page in input)
            {
                foreach (var line in page.Text.Split('\n'))
                {
                    foreach (var word in ShortenDelimiterRow(line).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                    {
                        var overLong = isOverLong(word);
                        for (var index = 0; index < word.Length; index++)
                        {
                            text.Append(word[index]);
                            pages.Add(page.Number);
                            startsWord.Add(index == 0);
                            inOverLongWord.Add(overLong);
                        }
                    }
                }
            }

            return new InputCharacters(text.ToString(), [.. pages], [.. startsWord], [.. inOverLongWord]);
        }

        // The chunker writes a table's delimiter row as |---|---|; so does the expectation.
        private static string ShortenDelimiterRow(string line)
        {
            var trimmed = line.Trim();
            if (!trimmed.Contains('|') || !trimmed.Contains('-') || trimmed.AsSpan().ContainsAnyExcept("|-: \t"))
            {
                return line;
            }

            var cells = trimmed.Split('|').Select(cell => cell.Trim()).Select(cell => cell.Length == 0
                ? ""
                : (cell.StartsWith(':') ? ":" : "") + "---" + (cell.Length > 1 && cell.EndsWith(':') ? ":" : ""));
            return string.Join('|', cells);
        }
    }
}
