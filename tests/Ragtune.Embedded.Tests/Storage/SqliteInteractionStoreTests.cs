using Microsoft.Data.Sqlite;
using Ragtune.Core.Feedback;
using Ragtune.Embedded.Storage;
using Ragtune.Testing.Contracts;

namespace Ragtune.Embedded.Tests.Storage;

public sealed class SqliteInteractionStoreTests : InteractionStoreContract, IDisposable
{
    private readonly TestIndex _index = TestIndex.Create();
    private readonly SqliteInteractionStore _store;

    public SqliteInteractionStoreTests() => _store = new SqliteInteractionStore(_index.Ratings);

    protected override IInteractionStore Store => _store;

    public void Dispose() => _index.Dispose();

    [Fact]
    public async Task Feedback_IsATableOfItsOwnThatFollowsItsInteraction()
    {
        var answer = await RecordAsync("question");
        await _store.SaveFeedbackAsync(new AnswerFeedback(answer.AnswerId, FeedbackRating.Up, null, null, Noon));
        await using var connection = await _index.Ratings.OpenConnectionAsync();
        await using var command = connection.CreateCommand();

        command.CommandText = "DELETE FROM interactions;";
        await command.ExecuteNonQueryAsync();
        command.CommandText = "SELECT count(*) FROM feedback;";

        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        command.CommandText = "INSERT INTO feedback (answer_id, rating, rated_at) VALUES ('missing', 'up', '2026-11-27T12:00:00.0000000Z');";
        await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
    }
}
