using System.ComponentModel.DataAnnotations;

namespace Ragtune.Core.Documents;

/// <summary>Limits that keep one hostile or oversized file from exhausting memory or time while it is read.</summary>
public sealed record DocumentReaderOptions
{
    /// <summary>
    /// The size a block of text aims at before the reader hands it on (it ends at a paragraph where possible). The
    /// default, 40,960 characters (80 KB as a string), stays under the runtime's large object threshold of 85,000 bytes,
    /// so a large file's blocks are collected young instead of piling up on the large object heap until a full
    /// collection (a 50 MB text file's ingestion peaked 100 MB higher with blocks of 64K characters).
    /// </summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int BlockCharacters { get; init; } = 40 * 1024;

    /// <summary>The largest HTML file read; the whole page is parsed into memory.</summary>
    [Range(1, long.MaxValue)]
    public long MaxHtmlBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>The deepest element nesting an HTML file may have (browsers stop nesting at 512).</summary>
    [Range(1, 100_000)]
    public int MaxHtmlDepth { get; init; } = 512;

    /// <summary>The deepest object or array nesting a JSON file may have.</summary>
    [Range(1, 1000)]
    public int MaxJsonDepth { get; init; } = 64;

    /// <summary>The largest single JSON value (one string or number) read.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxJsonValueBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>The largest CSV record (one row, quoted line breaks included) read.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxCsvRecordCharacters { get; init; } = 4 * 1024 * 1024;

    /// <summary>The largest total an Office file (.docx, .pptx, .xlsx) may expand to, by its own zip directory.</summary>
    [Range(1, long.MaxValue)]
    public long MaxOfficeUncompressedBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>The highest compression ratio a large entry of an Office file may have before it counts as a zip bomb.</summary>
    [Range(1, 100_000)]
    public int MaxOfficeCompressionRatio { get; init; } = 200;

    /// <summary>The most characters one XML part of an Office file may hold, enforced while parsing.</summary>
    [Range(1, long.MaxValue)]
    public long MaxOfficePartCharacters { get; init; } = 256L * 1024 * 1024;

    /// <summary>The most non-empty cells read from a workbook.</summary>
    [Range(1, int.MaxValue)]
    public int MaxSpreadsheetCells { get; init; } = 2_000_000;
}
