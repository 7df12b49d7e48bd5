using System.Globalization;
using System.Text.Json;
using Ragtune.Core.Api;
using Ragtune.Core.Feedback;

namespace Ragtune.Embedded.Storage;

/// <summary>
/// Answers and their ratings in the embedded default's SQLite file (table <c>interactions</c>), each interaction
/// stored whole as JSON. SQLite lock timeouts surface as <see cref="Core.DependencyUnavailableException"/>.
/// </summary>
public sealed class SqliteInteractionStore(SqliteDatabase database) : IInteractionStore
{
    public Task RecordAsync(Interaction interaction, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(async () =>
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO interactions (answer_id, created_at, record) VALUES ($answer_id, $created_at, $record);";
            command.Parameters.AddWithValue("$answer_id", interaction.AnswerId);
            command.Parameters.AddWithValue("$created_at", interaction.CreatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$record", JsonSerializer.Serialize(interaction, RagtuneJson.Options));
            await command.ExecuteNonQueryAsync(cancellationToken);
        });

    public Task<Interaction?> FindAsync(string answerId, CancellationToken cancellationToken = default) =>
        SqliteFailures.TranslateAsync(async () =>
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT record FROM interactions WHERE answer_id = $answer_id;";
            command.Parameters.AddWithValue("$answer_id", answerId);
            return await command.ExecuteScalarAsync(cancellationToken) is string json ? Read(json) : null;
        });

    private static Interaction Read(string json) =>
        JsonSerializer.Deserialize<Interaction>(json, RagtuneJson.Options)
        ?? throw new InvalidDataException("An interaction record is empty.");
}
