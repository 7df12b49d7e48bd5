using UglyToad.PdfPig.Content;

namespace Ragtune.Core.Documents;

/// <summary>
/// A PDF's type sizes, measured over all its letters before any page is read, from which its headings are told apart:
/// the body size is the size most letters are set in; every larger size (by 15% or more) is a heading size, the largest
/// level 1, the next level 2 and so on down to 4; a line set in bold at the body size, in a document whose body is not
/// bold, is one level below the smallest heading size; a short label line ("Responsibilities:") one level below that.
/// </summary>
internal sealed class PdfHeadingStyles
{
    /// <summary>How much larger than the body a size must be to be a heading's.</summary>
    private const double HeadingScale = 1.15;

    /// <summary>The deepest level a heading size takes; smaller heading sizes share it.</summary>
    private const int DeepestSizeLevel = 4;

    private readonly double[] _headingSizes;

    private PdfHeadingStyles(double bodySize, bool bodyIsBold, double[] headingSizes)
    {
        BodySize = bodySize;
        BodyIsBold = bodyIsBold;
        _headingSizes = headingSizes;
        BoldLevel = Math.Min(DeepestSizeLevel, headingSizes.Length) + 1;
        LabelLevel = BoldLevel + 1;
    }

    /// <summary>The styles of a document with no letters: no headings.</summary>
    public static PdfHeadingStyles None { get; } = new(0, bodyIsBold: false, []);

    /// <summary>The size most letters are set in (points).</summary>
    public double BodySize { get; }

    /// <summary>True when most body-size letters are bold: then bold tells nothing.</summary>
    public bool BodyIsBold { get; }

    /// <summary>The level of a whole line in bold at the body size.</summary>
    public int BoldLevel { get; }

    /// <summary>The level of a label line in body type ("Responsibilities:").</summary>
    public int LabelLevel { get; }

    /// <summary>Measures the sizes of every page's letters (whitespace aside).</summary>
    public static PdfHeadingStyles Measure(IEnumerable<IReadOnlyList<Letter>> pages)
    {
        var letters = new Dictionary<double, (int All, int Bold)>();
        foreach (var page in pages)
        {
            foreach (var letter in page)
            {
                if (string.IsNullOrWhiteSpace(letter.Value))
                {
                    continue;
                }

                var size = Round(SizeOf(letter));
                var (all, bold) = letters.GetValueOrDefault(size);
                letters[size] = (all + 1, bold + (IsBold(letter) ? 1 : 0));
            }
        }

        if (letters.Count == 0)
        {
            return None;
        }

        var body = letters.MaxBy(entry => entry.Value.All);
        var headingSizes = letters.Keys.Where(size => size >= body.Key * HeadingScale).OrderDescending().ToArray();
        return new PdfHeadingStyles(body.Key, body.Value.Bold * 2 > body.Value.All, headingSizes);
    }

    /// <summary>
    /// The heading level of a line set in <paramref name="size"/> points with <paramref name="boldShare"/> of its letters
    /// bold: 1 to 4 for a heading size, <see cref="BoldLevel"/> for bold body type, 0 for body text.
    /// </summary>
    public int LevelOf(double size, double boldShare)
    {
        if (BodySize <= 0)
        {
            return 0;
        }

        size = Round(size);
        if (size >= BodySize * HeadingScale)
        {
            var rank = Array.FindIndex(_headingSizes, heading => heading <= size);
            return Math.Min(DeepestSizeLevel, rank < 0 ? _headingSizes.Length : rank + 1);
        }

        return !BodyIsBold && boldShare >= 0.9 && size >= BodySize * 0.95 ? BoldLevel : 0;
    }

    /// <summary>A letter's size: its point size, or the height of its box when the font gives none.</summary>
    public static double SizeOf(Letter letter) => letter.PointSize > 0 ? letter.PointSize : Math.Max(letter.BoundingBox.Height, 1);

    /// <summary>True for a letter in a bold face (by the font's flags or its name).</summary>
    public static bool IsBold(Letter letter)
    {
        if (letter.FontDetails?.IsBold == true)
        {
            return true;
        }

        var name = letter.FontName ?? "";
        return name.Contains("Bold", StringComparison.OrdinalIgnoreCase)
            || name.Contains("Black", StringComparison.OrdinalIgnoreCase)
            || name.Contains("Heavy", StringComparison.OrdinalIgnoreCase)
            || name.Contains("Semibold", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Sizes to the half point, so that 10.98 and 11.02 are one size.</summary>
    private static double Round(double size) => Math.Round(size * 2, MidpointRounding.AwayFromZero) / 2;
}
