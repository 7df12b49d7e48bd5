using System.Globalization;
using Ragtune.Core.FineTuning;

namespace Ragtune.Core.Tests.FineTuning;

/// <summary>The export schedule both hosts read: one form, one check, one default.</summary>
public sealed class ExportScheduleExpressionTests
{
    [Theory]
    [InlineData("0 3 * * *", "2026-11-27T12:00:00Z", "2026-11-28T03:00:00Z")]
    [InlineData("0 0 3 * * *", "2026-11-27T02:59:59Z", "2026-11-27T03:00:00Z")]
    [InlineData("*/15 * * * *", "2026-11-27T12:00:00Z", "2026-11-27T12:15:00Z")]
    [InlineData("0 30 9 * * MON-FRI", "2026-11-27T12:00:00Z", "2026-11-30T09:30:00Z")]
    public void NextOccurrence_FollowsTheCronExpressionInUtc(string expression, string now, string next)
    {
        var schedule = ExportScheduleExpression.Parse(expression)!;

        Assert.Equal(DateTimeOffset.Parse(next, CultureInfo.InvariantCulture), schedule.NextAfter(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void ParseSchedule_Empty_IsNoSchedule(string? expression) => Assert.Null(ExportScheduleExpression.Parse(expression));

    [Fact]
    public void Default_IsSixFieldsAsTheFunctionsTimerWritesThem_DailyAt0300Utc()
    {
        var schedule = new FineTuningOptions().Schedule;
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(6, schedule.Split(' ').Length);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero), ExportScheduleExpression.Parse(schedule)!.NextAfter(now));
        Assert.True(new ExportScheduleValidation().Validate(null, new FineTuningOptions()).Succeeded);
    }

    [Theory]
    [InlineData("daily")]
    [InlineData("0 25 * * *")]
    [InlineData("* * *")]
    [InlineData("0 0 0 3 * * *")]
    [InlineData("@daily")]
    [InlineData("0 0 3 L * *")]
    [InlineData("0 0 3 15W * *")]
    [InlineData("0 0 3 * * 5#3")]
    [InlineData("0 0 3 ? * *")]
    public void Validation_NotACronExpressionBothHostsRead_FailsNamingTheSetting(string expression)
    {
        Assert.ThrowsAny<FormatException>(() => ExportScheduleExpression.Parse(expression));
        var result = new ExportScheduleValidation().Validate(null, new FineTuningOptions { Schedule = expression });

        Assert.True(result.Failed);
        Assert.Contains("Ragtune:FineTuning:Schedule", result.FailureMessage, StringComparison.Ordinal);
    }
}
