using System.ComponentModel.DataAnnotations;

namespace Ragtune.Embedded.Files;

/// <summary>The documents folder that <c>ragtune serve</c> ingests and watches (section <c>Ragtune:Documents</c>).</summary>
public sealed class DocumentFolderOptions
{
    public const string SectionName = "Ragtune:Documents";

    /// <summary>The folder; <c>--docs</c> sets it.</summary>
    [Required]
    public string Root { get; set; } = "samples";

    /// <summary>Watch the folder after the first ingestion: added, changed and deleted files follow within seconds.</summary>
    public bool Watch { get; set; } = true;

    /// <summary>
    /// How long a file must stay unchanged (size and time) before it is read, so a file still being written is not
    /// read half-way.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A full comparison of folder and index, as a safety net for events the watcher missed.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long after a transient failure (embedding service or storage unavailable) a document is tried again; the
    /// wait doubles with each failure in a row, up to <see cref="ResyncInterval"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}
