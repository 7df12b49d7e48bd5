using System.ComponentModel.DataAnnotations;

namespace Ragtune.Azure.Storage;

/// <summary>
/// The storage account of the documents ledger, interactions, feedback, tuning runs and fine-tune datasets (section
/// <c>Ragtune:AzureStorage</c>): service URLs used with the app's managed identity, or a connection string (Azurite,
/// local development).
/// </summary>
public sealed class AzureStorageOptions : IValidatableObject
{
    public const string SectionName = "Ragtune:AzureStorage";

    /// <summary>A connection string; when set, the service URLs and the credential are not used.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The blob service, <c>https://ACCOUNT.blob.core.windows.net</c>.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>The table service, <c>https://ACCOUNT.table.core.windows.net</c>.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>The container of the documents to ingest: the blob trigger's path and what the hourly reconcile lists.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DocumentsContainer { get; set; } = "documents";

    /// <summary>The container fine-tune exports are written to.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DatasetsContainer { get; set; } = "datasets";

    /// <summary>The table of the documents ledger.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string DocumentsTable { get; set; } = "documents";

    /// <summary>The table of recorded answers.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string InteractionsTable { get; set; } = "interactions";

    /// <summary>The table of ratings.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string FeedbackTable { get; set; } = "feedback";

    /// <summary>The table of tuning runs and the active chat model's history.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string TuningTable { get; set; } = "tuning";

    /// <summary>
    /// How far behind the current time the export's watermark stays, so that a rating whose stamp was taken but not
    /// yet written (by another instance) is not skipped.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan FeedbackSettleTime { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield break;
        }

        if (BlobServiceUri is not { IsAbsoluteUri: true })
        {
            yield return new ValidationResult(
                $"{SectionName}:BlobServiceUri (https://ACCOUNT.blob.core.windows.net) is required when {SectionName}:ConnectionString is not set.", [nameof(BlobServiceUri)]);
        }

        if (TableServiceUri is not { IsAbsoluteUri: true })
        {
            yield return new ValidationResult(
                $"{SectionName}:TableServiceUri (https://ACCOUNT.table.core.windows.net) is required when {SectionName}:ConnectionString is not set.", [nameof(TableServiceUri)]);
        }
    }
}
