using System.ComponentModel.DataAnnotations;

namespace Ragtune.Core.FineTuning.Tuning;

/// <summary>
/// How tuning runs are made, judged and adopted (section <c>Ragtune:FineTuning</c>, beside <see cref="FineTuningOptions"/>;
/// the provider's own settings, <c>Provider</c>, <c>Endpoint</c> and <c>ApiKey</c>, are read by Ragtune.OpenAI).
/// </summary>
public sealed class TuningOptions : IValidatableObject
{
    public const string SectionName = FineTuningOptions.SectionName;

    /// <summary>Start a run for each new complete export on its own (<c>ragtune serve</c>, the Functions timer). Off: training costs money.</summary>
    public bool AutoTune { get; set; }

    /// <summary>The method of runs started on their own: <c>sft</c> or <c>dpo</c>.</summary>
    public TuningMethod Method { get; set; } = TuningMethod.Sft;

    /// <summary>How often a run in progress is looked at (the job's status, a deployment's), and auto-tune looks for a new export.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after asking for a job a run that finds no job of its own asks again: the request may still be on its
    /// way (another host asked), and only once it has surely ended is a second request no risk of a second job.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan JobRequestTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a host keeps the active model it read before reading it again (a promotion elsewhere shows within this).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ActiveModelCacheTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The price of a million training tokens, for the cost estimate (no estimate when unset).</summary>
    [Range(0.0, 1_000_000.0)]
    public double? PricePerMillionTrainingTokens { get; set; }

    /// <summary>Epochs assumed for the training-token estimate (the services choose their own by default, often 3 for small sets).</summary>
    [Range(1, 50)]
    public int EstimatedEpochs { get; set; } = 3;

    /// <summary>How far back "recently" reaches for the share of grounded answers rated down.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan AdviceWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The gate (section <c>Ragtune:FineTuning:Gate</c>).</summary>
    public GateOptions Gate { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(Gate, new ValidationContext(Gate), results, validateAllProperties: true);
        return results.Select(r => new ValidationResult($"{SectionName}:Gate: {r.ErrorMessage}", [.. r.MemberNames.Select(m => $"Gate:{m}")]));
    }
}
