using Microsoft.Extensions.Logging;

namespace Ragtune.Embedded.Storage;

/// <summary>The storage area's log messages (event ids 4100-4199, in Embedded's 4000-4999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Migrated {DatabasePath} to schema version {SchemaVersion}: {Description}")]
    public static partial void SchemaMigrated(ILogger logger, string databasePath, int schemaVersion, string description);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Loaded {ChunkCount} chunk vectors ({Dimensions} dimensions) of {DocumentCount} documents in {ElapsedMilliseconds:0} ms")]
    public static partial void VectorsLoaded(ILogger logger, int chunkCount, int dimensions, int documentCount, double elapsedMilliseconds);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "The chunk index changed outside this process (version {DatabaseVersion}, vectors in memory at {MemoryVersion}); reloading the vectors")]
    public static partial void ExternalChangeDetected(ILogger logger, long databaseVersion, long memoryVersion);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "Compacted the in-memory vectors to {ChunkCount} chunks in {SegmentCount} segments in {ElapsedMilliseconds:0.0} ms")]
    public static partial void VectorsCompacted(ILogger logger, int chunkCount, int segmentCount, double elapsedMilliseconds);
}
