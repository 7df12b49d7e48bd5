using System.Text;
using Ragtune.Core.Documents;

namespace Ragtune.Core.Tests.Chunking;

/// <summary>
/// Seeded random documents with everything a chunker meets: paragraphs of sentences (some hard-wrapped, some with
/// abbreviations and decimals), sentences longer than a chunk, words longer than a chunk (base64), tables and lists
/// short and long, headings, unicode, runs of spaces, tabs and blank lines, several pages, pages delivered in blocks.
/// </summary>
internal sealed class RandomDocument
{
    private static readonly string[] Vocabulary =
    [
        "the", "a", "of", "and", "to", "in", "is", "for", "that", "with", "as", "on", "by", "was", "are", "from", "at",
        "patients", "cells", "protein", "expression", "analysis", "results", "treatment", "increased", "significant",
        "model", "data", "study", "effect", "response", "levels", "clinical", "mice", "human", "activity", "function",
        "benefits", "employee", "plan", "coverage", "deductible", "network", "provider", "claim", "policy", "premium",
        "retrieval", "embedding", "vector", "search", "index", "chunk", "token", "sentence", "paragraph", "document",
        "quickly", "carefully", "between", "within", "without", "however", "therefore", "although", "because",
        "café", "naïve", "résumé", "Zürich", "São", "Ωmega", "пример", "данные", "日本語", "テキスト", "한국어", "数据",
        "😀", "CO₂", "β-catenin", "IL-10", "TGF-β", "p53", "x²", "±", "≥", "ﬁnance", "straße",
        "well-known", "state-of-the-art", "(n = 17)", "[1]", "\"quoted\"", "'single'", "3.5", "0.016", "1,024",
        "e.g.", "i.e.", "Dr. Smith", "U.S.", "No. 5", "Fig. 3", "et al.", "vs.", "approx.", "p.m.",
        "https://example.org/path?q=1", "user@example.com", "C#", ".NET", "v2.0.1", "#hashtag",
    ];

    private static readonly string[] Terminators = [".", ".", ".", ".", "!", "?", "...", ".\"", ".)"];

    private readonly Random _random;
    private bool _lastWasList;

    private RandomDocument(int seed) => _random = new Random(seed);

    /// <summary>
    /// A document of several pages, each delivered whole or as blocks split at blank lines; the same seed gives the
    /// same text either way.
    /// </summary>
    public static IReadOnlyList<DocumentPage> Create(int seed, bool splitPagesIntoBlocks = true)
    {
        var document = new RandomDocument(seed);
        var splits = new Random(~seed);
        var pages = new List<DocumentPage>();
        var pageCount = document._random.Next(1, 5);
        for (var page = 1; page <= pageCount; page++)
        {
            // Each block with the blank lines that follow it.
            var blocks = document.Page().Select(block => (Text: block, Gap: document.BlankLines())).ToList();
            var start = 0;
            while (start < blocks.Count)
            {
                // Blocks end at paragraph boundaries; consecutive blocks continue the same page.
                var take = splitPagesIntoBlocks ? splits.Next(1, blocks.Count - start + 1) : blocks.Count;
                var taken = blocks.Skip(start).Take(take).ToList();
                pages.Add(new DocumentPage(page, string.Concat(taken.Take(take - 1).Select(block => block.Text + block.Gap)) + taken[^1].Text));
                start += take;
            }
        }

        return pages;
    }

    /// <summary>Paragraphs of random sentences, as blocks of about <paramref name="blockCharacters"/> each, for streaming.</summary>
    public static IEnumerable<DocumentPage> Blocks(int seed, long totalCharacters, int blockCharacters = 64 * 1024)
    {
        var document = new RandomDocument(seed);
        var block = new StringBuilder();
        for (long produced = 0; produced < totalCharacters;)
        {
            var paragraph = document.Paragraph();
            if (block.Length > 0 && block.Length + paragraph.Length > blockCharacters)
            {
                yield return new DocumentPage(1, block.ToString());
                produced += block.Length;
                block.Clear();
            }

            block.Append(paragraph).Append("\n\n");
        }

        if (block.Length > 0)
        {
            yield return new DocumentPage(1, block.ToString());
        }
    }

    private List<string> Page()
    {
        var blocks = new List<string>();
        var count = _random.Next(1, 12);
        for (var index = 0; index < count; index++)
        {
            var roll = _random.Next(100);
            var isList = roll is >= 75 and < 87 && !_lastWasList;
            blocks.Add(roll switch
            {
                < 55 => Paragraph(),
                < 65 => Heading(),
                < 75 => Table(),
                < 87 when isList => List(),
                < 90 => Paragraph(sentenceCount: 1, longSentence: true),
                < 93 => Paragraph(sentenceCount: 2, withBlob: true),
                _ => Paragraph(sentenceCount: _random.Next(20, 60)),
            });
            _lastWasList = isList;
        }

        return blocks;
    }

    private string BlankLines() => _random.Next(4) == 0 ? "\n\n\n\n" : _random.Next(3) == 0 ? "\n \t\n" : "\n\n";

    private string Paragraph(int sentenceCount = 0, bool longSentence = false, bool withBlob = false)
    {
        sentenceCount = sentenceCount > 0 ? sentenceCount : _random.Next(1, 9);
        var text = new StringBuilder();
        for (var index = 0; index < sentenceCount; index++)
        {
            if (index > 0)
            {
                text.Append(_random.Next(8) == 0 ? "\n" : _random.Next(8) == 0 ? "  \t " : " ");
            }

            text.Append(Sentence(longSentence ? _random.Next(200, 700) : _random.Next(3, 30), withBlob && index == 0));
        }

        return text.ToString();
    }

    private string Sentence(int words, bool withBlob)
    {
        var text = new StringBuilder();
        var first = Word();
        text.Append(char.ToUpperInvariant(first[0])).Append(first.AsSpan(1));
        var blobAt = withBlob ? _random.Next(1, words + 1) : -1;
        for (var index = 1; index < words; index++)
        {
            text.Append(_random.Next(25) == 0 ? "\n" : _random.Next(12) == 0 ? ", " : " ");
            text.Append(index == blobAt ? Blob() : Word());
        }

        text.Append(Terminators[_random.Next(Terminators.Length)]);
        return text.ToString();
    }

    private string Word() => _random.Next(6) == 0
        ? _random.Next(10_000).ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Vocabulary[_random.Next(Vocabulary.Length)];

    /// <summary>A base64 "word" of 1,000 to 4,000 bytes: hundreds to thousands of tokens with no space to cut at.</summary>
    private string Blob()
    {
        var bytes = new byte[_random.Next(1000, 4000)];
        _random.NextBytes(bytes);
        return Convert.ToBase64String(bytes);
    }

    private string Heading() => new string('#', _random.Next(1, 4)) + " " + string.Join(' ', Enumerable.Range(0, _random.Next(1, 6)).Select(_ => Word()));

    private string Table()
    {
        var columns = _random.Next(2, 5);
        var rows = _random.Next(10) == 0 ? _random.Next(30, 60) : _random.Next(1, 8);
        var lines = new List<string>
        {
            "| " + string.Join(" | ", Enumerable.Range(0, columns).Select(_ => Word())) + " |",
            "|" + string.Join("|", Enumerable.Range(0, columns).Select(_ => new string('-', _random.Next(3, 12)))) + "|",
        };
        for (var row = 0; row < rows; row++)
        {
            lines.Add("| " + string.Join(" |  ", Enumerable.Range(0, columns).Select(_ => string.Join(' ', Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Word())))) + " |");
        }

        return string.Join('\n', lines);
    }

    private string List()
    {
        var items = _random.Next(10) == 0 ? _random.Next(30, 50) : _random.Next(2, 8);
        var marker = _random.Next(3);
        return string.Join('\n', Enumerable.Range(1, items).Select(item =>
            (marker switch { 0 => "- ", 1 => "* ", _ => $"{item}. " }) + Sentence(_random.Next(2, 15), withBlob: false)));
    }
}
