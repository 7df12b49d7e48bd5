using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Ragtune.Core.Api;
using Ragtune.Core.Feedback;

namespace Ragtune.Azure.Storage;

/// <summary>
/// Answers and ratings in Table Storage. Table <c>interactions</c>: one entity per answer (partition key the answer id),
/// the interaction as gzipped JSON in binary properties of up to 64 KiB. Table <c>feedback</c>: partition
/// <c>feedback</c>, one entity per rated answer (row key the answer id, so reads come in answer id order), and one
/// <c>watermark</c> entity, updated with optimistic concurrency, that stamps ratings in increasing order across every
/// instance of the app.
/// </summary>
public sealed class TableInteractionStore(StorageTables tables, IOptions<AzureStorageOptions> options, TimeProvider time) : IInteractionStore
{
    private const string InteractionRow = "interaction";
    private const string FeedbackPartition = "feedback";
    private const string WatermarkPartition = "watermark";
    private const string RecordPart = "Record";
    private const int PartBytes = 64 * 1024;

    /// <summary>An entity holds at most 1 MiB: 15 parts of 64 KiB leave room for the rest.</summary>
    private const int MaxParts = 15;

    private const int MaxStampAttempts = 20;

    private readonly AzureStorageOptions _options = options.Value;

    public async Task RecordAsync(Interaction interaction, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(_options.InteractionsTable, cancellationToken);
        var entity = new TableEntity(interaction.AnswerId, InteractionRow) { ["CreatedAt"] = interaction.CreatedAt.ToUniversalTime() };
        var compressed = Compress(JsonSerializer.SerializeToUtf8Bytes(interaction, RagtuneJson.Options));
        var parts = (compressed.Length + PartBytes - 1) / PartBytes;
        if (parts > MaxParts)
        {
            throw new ArgumentException($"Interaction {interaction.AnswerId} is {compressed.Length} bytes compressed; a table entity holds at most {MaxParts * PartBytes}.", nameof(interaction));
        }

        entity["Parts"] = parts;
        for (var i = 0; i < parts; i++)
        {
            entity[$"{RecordPart}{i}"] = compressed.AsSpan(i * PartBytes, Math.Min(PartBytes, compressed.Length - (i * PartBytes))).ToArray();
        }

        try
        {
            await StorageCalls.TranslateAsync(() => table.AddEntityAsync(entity, cancellationToken), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            throw new InvalidOperationException($"Answer {interaction.AnswerId} is already recorded.", exception);
        }
    }

    public async Task<Interaction?> FindAsync(string answerId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(_options.InteractionsTable, cancellationToken);
        var entity = await StorageCalls.TranslateAsync(
            () => table.GetEntityIfExistsAsync<TableEntity>(answerId, InteractionRow, cancellationToken: cancellationToken), cancellationToken);
        return entity.HasValue ? Read(entity.Value!) : null;
    }

    public async Task<AnswerFeedback?> SaveFeedbackAsync(AnswerFeedback feedback, CancellationToken cancellationToken = default)
    {
        var interactions = await tables.GetAsync(_options.InteractionsTable, cancellationToken);
        var exists = await StorageCalls.TranslateAsync(
            () => interactions.GetEntityIfExistsAsync<TableEntity>(feedback.AnswerId, InteractionRow, ["PartitionKey"], cancellationToken), cancellationToken);
        if (!exists.HasValue)
        {
            return null;
        }

        var table = await tables.GetAsync(_options.FeedbackTable, cancellationToken);
        var ratedAt = await StampAsync(table, feedback.RatedAt.ToUniversalTime(), cancellationToken);
        var entity = new TableEntity(FeedbackPartition, feedback.AnswerId)
        {
            ["Rating"] = feedback.Rating == FeedbackRating.Up ? "up" : "down",
            ["Correction"] = feedback.Correction,
            ["Comment"] = feedback.Comment,
            ["RatedAtTicks"] = ratedAt.UtcTicks,
        };
        await StorageCalls.TranslateAsync(() => table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken);
        return feedback with { RatedAt = ratedAt };
    }

    public async Task<DateTimeOffset?> GetFeedbackWatermarkAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(_options.FeedbackTable, cancellationToken);
        var watermark = await ReadWatermarkAsync(table, cancellationToken);
        if (watermark is null)
        {
            return null;
        }

        // A stamp taken by another instance in the last moments may not be written yet: stay behind by the settle time.
        var newest = new DateTimeOffset(watermark.GetInt64("Ticks")!.Value, TimeSpan.Zero);
        var settled = time.GetUtcNow() - _options.FeedbackSettleTime;
        return newest <= settled ? newest : settled;
    }

    public async IAsyncEnumerable<RatedInteraction> ReadRatedAsync(DateTimeOffset upTo, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(_options.FeedbackTable, cancellationToken);
        var ticks = upTo.UtcTicks;
        var ratings = table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {FeedbackPartition} and RatedAtTicks le {ticks}"), cancellationToken: cancellationToken);
        await using var enumerator = ratings.GetAsyncEnumerator(cancellationToken);
        while (await StorageCalls.TranslateAsync(() => enumerator.MoveNextAsync().AsTask(), cancellationToken))
        {
            var rating = enumerator.Current;
            var interaction = await FindAsync(rating.RowKey, cancellationToken);
            if (interaction is null)
            {
                continue;
            }

            var feedback = new AnswerFeedback(
                rating.RowKey,
                rating.GetString("Rating") == "up" ? FeedbackRating.Up : FeedbackRating.Down,
                rating.GetString("Correction"),
                rating.GetString("Comment"),
                new DateTimeOffset(rating.GetInt64("RatedAtTicks")!.Value, TimeSpan.Zero));
            yield return new RatedInteraction(interaction, feedback);
        }
    }

    /// <summary>
    /// Finds the answers recorded before the cut-off (a scan of the interactions table: CreatedAt is not a key, which an
    /// hourly retention run can afford), and deletes each one's rating, then the answer itself, unless the rating was
    /// saved after <paramref name="exportedUpTo"/> or nothing has been exported yet. A crash in between leaves an answer
    /// without its rating, which the next run deletes.
    /// </summary>
    public async Task<int> DeleteRecordedBeforeAsync(DateTimeOffset recordedBefore, DateTimeOffset? exportedUpTo, CancellationToken cancellationToken = default)
    {
        var interactions = await tables.GetAsync(_options.InteractionsTable, cancellationToken);
        var feedback = await tables.GetAsync(_options.FeedbackTable, cancellationToken);
        var expired = interactions.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"RowKey eq {InteractionRow} and CreatedAt lt {recordedBefore.ToUniversalTime()}"),
            select: ["PartitionKey"],
            cancellationToken: cancellationToken);
        var answerIds = new List<string>();
        await using (var enumerator = expired.GetAsyncEnumerator(cancellationToken))
        {
            while (await StorageCalls.TranslateAsync(() => enumerator.MoveNextAsync().AsTask(), cancellationToken))
            {
                answerIds.Add(enumerator.Current.PartitionKey);
            }
        }

        var deleted = 0;
        foreach (var answerId in answerIds)
        {
            var rating = await StorageCalls.TranslateAsync(
                () => feedback.GetEntityIfExistsAsync<TableEntity>(FeedbackPartition, answerId, ["RatedAtTicks"], cancellationToken), cancellationToken);
            if (rating.HasValue)
            {
                if (exportedUpTo is null || rating.Value!.GetInt64("RatedAtTicks") > exportedUpTo.Value.UtcTicks)
                {
                    continue;
                }

                await StorageCalls.TranslateAsync(() => feedback.DeleteEntityAsync(FeedbackPartition, answerId, ETag.All, cancellationToken), cancellationToken);
            }

            await StorageCalls.TranslateAsync(() => interactions.DeleteEntityAsync(answerId, InteractionRow, ETag.All, cancellationToken), cancellationToken);
            deleted++;
        }

        return deleted;
    }

    /// <summary>
    /// Takes the next stamp: the rating's time, or one tick past the newest stamp when the clock is behind it, and
    /// moves the watermark entity there with optimistic concurrency, so two instances never take the same stamp.
    /// </summary>
    private static async Task<DateTimeOffset> StampAsync(TableClient table, DateTimeOffset ratedAt, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await ReadWatermarkAsync(table, cancellationToken);
            var stamp = ratedAt;
            if (current?.GetInt64("Ticks") is { } newest && stamp.UtcTicks <= newest)
            {
                stamp = new DateTimeOffset(newest + 1, TimeSpan.Zero);
            }

            var next = new TableEntity(WatermarkPartition, WatermarkPartition) { ["Ticks"] = stamp.UtcTicks };
            try
            {
                await StorageCalls.TranslateAsync(
                    () => current is null
                        ? table.AddEntityAsync(next, cancellationToken)
                        : table.UpdateEntityAsync(next, current.ETag, TableUpdateMode.Replace, cancellationToken),
                    cancellationToken);
                return stamp;
            }
            catch (RequestFailedException exception) when (exception.Status is 409 or 412 && attempt < MaxStampAttempts)
            {
                // Another instance stamped a rating in between: read its stamp and go past it.
            }
        }
    }

    private static async Task<TableEntity?> ReadWatermarkAsync(TableClient table, CancellationToken cancellationToken)
    {
        var entity = await StorageCalls.TranslateAsync(
            () => table.GetEntityIfExistsAsync<TableEntity>(WatermarkPartition, WatermarkPartition, cancellationToken: cancellationToken), cancellationToken);
        return entity.HasValue ? entity.Value : null;
    }

    private static byte[] Compress(byte[] json)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }

        return output.ToArray();
    }

    private static Interaction Read(TableEntity entity)
    {
        using var compressed = new MemoryStream();
        var parts = entity.GetInt32("Parts") ?? 0;
        for (var i = 0; i < parts; i++)
        {
            compressed.Write(entity.GetBinary($"{RecordPart}{i}") ?? throw new InvalidDataException($"Interaction {entity.PartitionKey} misses part {i}."));
        }

        compressed.Position = 0;
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        return JsonSerializer.Deserialize<Interaction>(gzip, RagtuneJson.Options)
            ?? throw new InvalidDataException($"Interaction {entity.PartitionKey} is empty.");
    }
}
