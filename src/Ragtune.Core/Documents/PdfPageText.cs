using System.Text;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.DocumentLayoutAnalysis;
using UglyToad.PdfPig.DocumentLayoutAnalysis.PageSegmenter;
using UglyToad.PdfPig.DocumentLayoutAnalysis.ReadingOrderDetector;
using UglyToad.PdfPig.DocumentLayoutAnalysis.WordExtractor;

namespace Ragtune.Core.Documents;

/// <summary>
/// A PDF page's text in reading order, by PdfPig's document layout analysis: words by nearest-neighbour letter
/// grouping, text blocks by the Docstrum page segmenter, blocks ordered by the unsupervised (spatial reasoning)
/// reading-order detector, so columns are read one after the other instead of line by line across the page.
/// Blocks are separated by blank lines; the lines of a block are joined into running text. Headings, told apart by the
/// letters' size and weight (<see cref="PdfHeadingStyles"/>), become Markdown heading lines, so that every chunk can say
/// which section it belongs to: the lines a block starts with in a heading style, or a short label line in body type
/// ("Responsibilities:", "Deductibles") that a block starts with.
/// </summary>
internal static class PdfPageText
{
    private static readonly NearestNeighbourWordExtractor WordExtractor = NearestNeighbourWordExtractor.Instance;
    private static readonly DocstrumBoundingBoxes PageSegmenter = DocstrumBoundingBoxes.Instance;
    private static readonly UnsupervisedReadingOrderDetector ReadingOrder = UnsupervisedReadingOrderDetector.Instance;

    /// <summary>The most words a heading line holds; a longer line in large type is text (a pull quote).</summary>
    private const int MaxHeadingWords = 20;

    /// <summary>The most words a label line holds.</summary>
    private const int MaxLabelWords = 8;

    public static string Extract(Page page, PdfHeadingStyles styles)
    {
        if (page.Letters.Count == 0)
        {
            return string.Empty;
        }

        var letters = DuplicateOverlappingTextProcessor.Get(page.Letters);
        var words = WordExtractor.GetWords(letters).Where(word => !string.IsNullOrWhiteSpace(word.Text)).ToList();
        if (words.Count == 0)
        {
            return string.Empty;
        }

        AttachListMarkers(words);
        var blocks = ReadingOrder.Get(PageSegmenter.GetBlocks(words)).OrderBy(block => block.ReadingOrder);

        var text = new StringBuilder();
        foreach (var block in blocks)
        {
            if (text.Length > 0)
            {
                text.Append("\n\n");
            }

            AppendBlock(text, block, styles);
        }

        return text.ToString();
    }

    /// <summary>
    /// A bullet or number that starts a line is usually set apart from its text by a tab stop, wider than the gap
    /// the segmenter allows between words of a line. Left alone, the marker becomes a block of its own and a
    /// hanging-indent line under it ("date." under "• Be aware ... renewal") is read before the line it ends.
    /// Stretching the marker's box up to its text joins them into one line again.
    /// </summary>
    private static void AttachListMarkers(List<Word> words)
    {
        var byBaseline = words
            .Select((word, index) => (Word: word, Index: index, Baseline: word.Letters[0].StartBaseLine.Y))
            .Where(entry => entry.Word.TextOrientation == TextOrientation.Horizontal)
            .OrderBy(entry => entry.Baseline)
            .ToList();

        for (var position = 0; position < byBaseline.Count; position++)
        {
            var (marker, index, baseline) = byBaseline[position];
            if (!IsListMarker(marker.Text))
            {
                continue;
            }

            var size = FontSize(marker);
            var tolerance = size * 0.3;
            Word? previous = null;
            Word? next = null;
            for (var other = FirstAtOrAbove(byBaseline, baseline - tolerance); other < byBaseline.Count && byBaseline[other].Baseline <= baseline + tolerance; other++)
            {
                var candidate = byBaseline[other].Word;
                if (other == position)
                {
                    continue;
                }

                if (candidate.BoundingBox.Right <= marker.BoundingBox.Left && (previous is null || candidate.BoundingBox.Right > previous.BoundingBox.Right))
                {
                    previous = candidate;
                }
                else if (candidate.BoundingBox.Left >= marker.BoundingBox.Right && (next is null || candidate.BoundingBox.Left < next.BoundingBox.Left))
                {
                    next = candidate;
                }
            }

            var startsLine = previous is null || marker.BoundingBox.Left - previous.BoundingBox.Right > size * 1.5;
            if (next is null || !startsLine)
            {
                continue;
            }

            var wordSpace = size * 0.25;
            var gap = next.BoundingBox.Left - marker.BoundingBox.Right;
            if (gap > wordSpace * 1.5 && gap < size * 6)
            {
                words[index] = Stretch(marker, next.BoundingBox.Left - wordSpace);
            }
        }
    }

    private static int FirstAtOrAbove(List<(Word Word, int Index, double Baseline)> byBaseline, double baseline)
    {
        int low = 0, high = byBaseline.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (byBaseline[middle].Baseline < baseline)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static Word Stretch(Word marker, double right)
    {
        var letters = marker.Letters.ToList();
        var last = letters[^1];
        var box = last.BoundingBox;
        var loose = last.GlyphRectangleLoose;
        letters[^1] = new Letter(
            last.Value,
            new PdfRectangle(box.Left, box.Bottom, right, box.Top),
            new PdfRectangle(loose.Left, loose.Bottom, right, loose.Top),
            last.StartBaseLine,
            new PdfPoint(right, last.EndBaseLine.Y),
            right - last.StartBaseLine.X,
            last.FontSize,
            last.FontDetails,
            last.RenderingMode,
            last.StrokeColor,
            last.FillColor,
            last.PointSize,
            last.TextSequence);
        return new Word(letters);
    }

    private static double FontSize(Word word)
    {
        var size = word.Letters[0].PointSize;
        return size > 0 ? size : Math.Max(word.BoundingBox.Height, 1);
    }

    /// <summary>A bullet glyph, or a short list number such as "1." or "a)".</summary>
    private static bool IsListMarker(string text) => text switch
    {
        ['•' or '◦' or '▪' or '▫' or '●' or '○' or '■' or '□' or '‣' or '⁃' or '∙' or '·' or '–' or '—' or '-' or '*' or '➢' or '\uF0B7' or '\uF0A7'] => true,
        [.. var number, '.' or ')'] when number.Length is >= 1 and <= 3 => number.All(char.IsAsciiDigit) || (number.Length == 1 && char.IsAsciiLetter(number[0])),
        _ => false,
    };

    /// <summary>
    /// Writes a block: first the lines it starts with in a heading style (consecutive lines of one level are one heading),
    /// then a label line, each as a heading line of its own; then the rest of its lines joined. A line that starts a list
    /// item, follows a short line (a paragraph's last), or changes the font size starts a new line; a line that ends in a
    /// hyphen after a letter ("out-of-") is joined without a space ("out-of-network"); other lines are joined with a space.
    /// </summary>
    private static void AppendBlock(StringBuilder text, TextBlock block, PdfHeadingStyles styles)
    {
        var lines = block.TextLines;
        var first = 0;
        while (first < lines.Count && HeadingLevel(lines[first], styles) is > 0 and var level)
        {
            var heading = new StringBuilder(lines[first].Text.Trim());
            for (first++; first < lines.Count && HeadingLevel(lines[first], styles) == level; first++)
            {
                heading.Append(EndsWithWordHyphen(heading.ToString()) ? "" : " ").Append(lines[first].Text.Trim());
            }

            AppendHeading(text, level, heading.ToString());
        }

        if (first < lines.Count && IsLabel(lines, first, block))
        {
            AppendHeading(text, styles.LabelLevel, lines[first].Text.Trim());
            first++;
        }

        if (first < lines.Count && text.Length > 0 && text[^1] != '\n')
        {
            text.Append("\n\n");
        }

        for (var i = first; i < lines.Count; i++)
        {
            var line = lines[i];
            var lineText = line.Text.Trim();
            if (i > first)
            {
                var previous = lines[i - 1];
                var previousText = previous.Text.TrimEnd();
                var startsItem = line.Words.Count > 0 && IsListMarker(line.Words[0].Text);
                var previousShort = IsShort(previous, block);
                var sizeChanged = Math.Abs(LineFontSize(previous) - LineFontSize(line)) > LineFontSize(line) * 0.1;
                if (startsItem || previousShort || sizeChanged)
                {
                    text.Append('\n');
                }
                else if (!EndsWithWordHyphen(previousText))
                {
                    text.Append(' ');
                }
            }

            text.Append(lineText);
        }
    }

    /// <summary>Writes a heading line ("## Costs"), apart from what comes before it.</summary>
    private static void AppendHeading(StringBuilder text, int level, string heading)
    {
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append("\n\n");
        }

        text.Append('#', level).Append(' ').Append(heading);
    }

    /// <summary>The heading level of a line in a heading style (most of its letters in a heading size, or bold), else 0.</summary>
    private static int HeadingLevel(TextLine line, PdfHeadingStyles styles)
    {
        if (line.Words.Count is 0 or > MaxHeadingWords || IsListMarker(line.Words[0].Text) || !line.Text.Any(char.IsLetter))
        {
            return 0;
        }

        var sizes = new Dictionary<double, int>();
        var letters = 0;
        var bold = 0;
        foreach (var letter in line.Words.SelectMany(word => word.Letters))
        {
            var size = PdfHeadingStyles.SizeOf(letter);
            sizes[size] = sizes.GetValueOrDefault(size) + 1;
            letters++;
            bold += PdfHeadingStyles.IsBold(letter) ? 1 : 0;
        }

        return styles.LevelOf(sizes.MaxBy(entry => entry.Value).Key, (double)bold / letters);
    }

    /// <summary>
    /// A label: a block's line in body type that names what follows ("Responsibilities:", "Deductibles"), alone in its
    /// block or set apart by a line break: a few words, starting with a capital, not ending a sentence or a clause, with a
    /// colon only at its end.
    /// </summary>
    private static bool IsLabel(IReadOnlyList<TextLine> lines, int index, TextBlock block)
    {
        var line = lines[index];
        var text = line.Text.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return line.Words.Count is > 0 and <= MaxLabelWords
            && char.IsUpper(text[0])
            && !IsListMarker(line.Words[0].Text)
            && (colon < 0 || colon == text.Length - 1)
            && text[^1] is not ('.' or ',' or ';' or '!' or '?' or '-')
            && (index == lines.Count - 1 || IsShort(line, block));
    }

    /// <summary>True for a line that ends well before its block's right edge (a paragraph's last line, a label).</summary>
    private static bool IsShort(TextLine line, TextBlock block) =>
        line.BoundingBox.Right < block.BoundingBox.Right - (block.BoundingBox.Width * 0.2);

    private static double LineFontSize(TextLine line) => line.Words.Count == 0 ? 0 : FontSize(line.Words[0]);

    private static bool EndsWithWordHyphen(string text) =>
        text.Length >= 2 && text[^1] == '-' && char.IsLetter(text[^2]);
}
