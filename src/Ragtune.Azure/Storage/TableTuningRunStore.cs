using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.Azure.Storage;

/// <summary>
/// Tuning runs and the active model's history in Table Storage, table <c>tuning</c>: partition <c>run</c>, one entity
/// per run (row key the run id, the run as JSON, its revision), replaced only under the ETag it was read with; partition
/// <c>model</c>, one entity per change of the active model (row key the sequence, zero-padded), only ever added. Every
/// instance of the app reads the active model from here.
/// </summary>
public sealed class TableTuningRunStore(StorageTables tables, IOptions<AzureStorageOptions> options) : ITuningRunStore
{
    private const string RunPartition = "run";
    private const string ModelPartition = "model";
    private const string RecordProperty = "Record";
    private const string RevisionProperty = "Revision";
    private const string CreatedAtProperty = "CreatedAt";

    private readonly string _table = options.Value.TuningTable;

    public async Task<TuningRun?> FindAsync(string runId, CancellationToken cancellationToken = default)
    {
        var entity = await FindEntityAsync(await TableAsync(cancellationToken), runId, cancellationToken);
        return entity is null ? null : Read(entity);
    }

    public async Task<TuningRun> CreateAsync(TuningRun run, CancellationToken cancellationToken = default)
    {
        var table = await TableAsync(cancellationToken);
        var entity = new TableEntity(RunPartition, run.RunId)
        {
            [RecordProperty] = TuningJson.Serialize(run),
            [RevisionProperty] = 1,
            [CreatedAtProperty] = run.CreatedAt.ToUniversalTime(),
        };
        try
        {
            await StorageCalls.TranslateAsync(() => table.AddEntityAsync(entity, cancellationToken), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            // Created already (by this host earlier, or another): the stored run stands.
        }

        return (await FindAsync(run.RunId, cancellationToken))!;
    }

    public async Task<TuningRun> UpdateAsync(TuningRun run, CancellationToken cancellationToken = default)
    {
        var table = await TableAsync(cancellationToken);
        var stored = await FindEntityAsync(table, run.RunId, cancellationToken);
        if (stored is null || stored.GetInt32(RevisionProperty) != run.Revision)
        {
            throw new TuningRunConflictException($"Tuning run {run.RunId}");
        }

        stored[RecordProperty] = TuningJson.Serialize(run);
        stored[RevisionProperty] = run.Revision + 1;
        try
        {
            await StorageCalls.TranslateAsync(() => table.UpdateEntityAsync(stored, stored.ETag, TableUpdateMode.Replace, cancellationToken), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            throw new TuningRunConflictException($"Tuning run {run.RunId}", exception);
        }

        return run with { Revision = run.Revision + 1 };
    }

    public async Task<IReadOnlyList<TuningRun>> ListAsync(CancellationToken cancellationToken = default)
    {
        var entities = await QueryAsync(RunPartition, cancellationToken);
        return [.. entities.Select(Read).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.RunId, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<ModelChange>> ReadModelChangesAsync(CancellationToken cancellationToken = default) =>
        [.. (await QueryAsync(ModelPartition, cancellationToken)).OrderBy(e => e.RowKey, StringComparer.Ordinal).Select(e => TuningJson.DeserializeChange(e.GetString(RecordProperty)))];

    public async Task AppendModelChangeAsync(ModelChange change, CancellationToken cancellationToken = default)
    {
        var changes = await QueryAsync(ModelPartition, cancellationToken);
        if (change.Sequence != changes.Count + 1)
        {
            throw new TuningRunConflictException($"Model change {change.Sequence}");
        }

        var table = await TableAsync(cancellationToken);
        var entity = new TableEntity(ModelPartition, change.Sequence.ToString("D10", CultureInfo.InvariantCulture)) { [RecordProperty] = TuningJson.Serialize(change) };
        try
        {
            await StorageCalls.TranslateAsync(() => table.AddEntityAsync(entity, cancellationToken), cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 409)
        {
            throw new TuningRunConflictException($"Model change {change.Sequence}", exception);
        }
    }

    private static TuningRun Read(TableEntity entity) => TuningJson.DeserializeRun(entity.GetString(RecordProperty), entity.GetInt32(RevisionProperty) ?? 0);

    private Task<TableClient> TableAsync(CancellationToken cancellationToken) => tables.GetAsync(_table, cancellationToken);

    private static async Task<TableEntity?> FindEntityAsync(TableClient table, string runId, CancellationToken cancellationToken)
    {
        var entity = await StorageCalls.TranslateAsync(
            () => table.GetEntityIfExistsAsync<TableEntity>(RunPartition, runId, cancellationToken: cancellationToken), cancellationToken);
        return entity.HasValue ? entity.Value : null;
    }

    private async Task<List<TableEntity>> QueryAsync(string partition, CancellationToken cancellationToken)
    {
        var table = await TableAsync(cancellationToken);
        return await StorageCalls.TranslateAsync(
            async () =>
            {
                var entities = new List<TableEntity>();
                await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
                {
                    entities.Add(entity);
                }

                return entities;
            },
            cancellationToken);
    }
}
