using System.Globalization;

namespace Ragtune.Benchmarks;

/// <summary>Percentiles (nearest rank) and the five-number summaries the tables print.</summary>
internal static class Statistics
{
    /// <summary>The value at <paramref name="fraction"/> (0 to 1) of the sorted values, nearest rank.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double fraction)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 0.5);

    /// <summary>"min p5 p25 median max", each to <paramref name="format"/>, in columns of <paramref name="width"/>.</summary>
    public static string Summary(IReadOnlyCollection<double> values, string format = "0.000", int width = 7) =>
        string.Join(' ', new[] { values.Min(), Percentile(values, 0.05), Percentile(values, 0.25), Median(values), values.Max() }
            .Select(value => value.ToString(format, CultureInfo.InvariantCulture).PadLeft(width)));
}
