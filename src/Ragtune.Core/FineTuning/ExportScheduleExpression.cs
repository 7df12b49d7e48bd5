using System.Text.RegularExpressions;
using Cronos;
using Microsoft.Extensions.Options;

namespace Ragtune.Core.FineTuning;

/// <summary>
/// When the fine-tune export runs (<see cref="FineTuningOptions.Schedule"/>): a cron expression in UTC in the form both
/// hosts read the same way, the Functions export timer (NCRONTAB) and <c>ragtune serve</c>'s schedule. Six fields with
/// seconds first (<c>0 0 3 * * *</c> is daily at 03:00), or five with minutes first (<c>0 3 * * *</c>); each field
/// numbers, <c>*</c>, ranges, lists, steps and three-letter month or day names, nothing only one of them knows
/// (<c>L</c>, <c>W</c>, <c>#</c>, <c>?</c>, <c>@daily</c>).
/// </summary>
public sealed partial class ExportScheduleExpression
{
    private readonly CronExpression _expression;

    private ExportScheduleExpression(CronExpression expression) => _expression = expression;

    /// <summary>The schedule, or null when <paramref name="expression"/> is empty (no scheduled export); throws <see cref="FormatException"/> for anything else.</summary>
    public static ExportScheduleExpression? Parse(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return null;
        }

        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is not (5 or 6))
        {
            throw new FormatException($"'{expression}' has {fields.Length} fields, not six (seconds first) or five (minutes first).");
        }

        if (fields.SelectMany(field => field.Split([',', '-', '/'])).FirstOrDefault(atom => !Atom().IsMatch(atom)) is { } unknown)
        {
            throw new FormatException($"'{unknown}' in '{expression}' is not a number, '*' or a three-letter month or day name.");
        }

        return new ExportScheduleExpression(CronExpression.Parse(string.Join(' ', fields), fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard));
    }

    /// <summary>The first time the schedule names strictly after <paramref name="now"/>, or null when it names none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset now) => _expression.GetNextOccurrence(now, TimeZoneInfo.Utc, inclusive: false);

    [GeneratedRegex("^([0-9]+|\\*|[A-Za-z]{3})$", RegexOptions.CultureInvariant)]
    private static partial Regex Atom();
}

/// <summary>Fails start-up, on either host, when <c>Ragtune:FineTuning:Schedule</c> is not an <see cref="ExportScheduleExpression"/>, naming the setting.</summary>
internal sealed class ExportScheduleValidation : IValidateOptions<FineTuningOptions>
{
    public ValidateOptionsResult Validate(string? name, FineTuningOptions options)
    {
        try
        {
            ExportScheduleExpression.Parse(options.Schedule);
            return ValidateOptionsResult.Success;
        }
        catch (FormatException exception)
        {
            return ValidateOptionsResult.Fail(
                $"{FineTuningOptions.SectionName}:{nameof(FineTuningOptions.Schedule)} '{options.Schedule}' is not a cron expression of six fields (seconds first, such as '0 0 3 * * *') or five (minutes first): {exception.Message}");
        }
    }
}
