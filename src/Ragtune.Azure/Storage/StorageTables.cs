using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace Ragtune.Azure.Storage;

/// <summary>The tables of the account, each created on first use (once per process).</summary>
public sealed class StorageTables(TableServiceClient service)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    public async Task<TableClient> GetAsync(string name, CancellationToken cancellationToken)
    {
        var lazy = _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted)
        {
            // A failed creation is tried again by the next call.
            _tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(name, lazy));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var table = service.GetTableClient(name);
        await StorageCalls.TranslateAsync(() => table.CreateIfNotExistsAsync(), CancellationToken.None);
        return table;
    }
}
