using System.ComponentModel.DataAnnotations;

namespace Ragtune.Core.Api;

/// <summary>Input limits of the HTTP API, the same on both hosts (section <c>Ragtune:Api</c>).</summary>
public sealed class ApiLimitsOptions
{
    public const string SectionName = "Ragtune:Api";

    /// <summary>The largest request body accepted; larger ones get 413.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>The longest question, in characters.</summary>
    [Range(16, 100_000)]
    public int MaxQuestionLength { get; set; } = 2000;

    /// <summary>The most history turns a request may carry.</summary>
    [Range(0, 1000)]
    public int MaxHistoryTurns { get; set; } = 20;

    /// <summary>The longest history turn, in characters.</summary>
    [Range(16, 1_000_000)]
    public int MaxHistoryTurnLength { get; set; } = 8000;

    /// <summary>The largest <c>top</c>.</summary>
    [Range(1, 1000)]
    public int MaxTop { get; set; } = 50;

    /// <summary>The most source patterns in a filter.</summary>
    [Range(0, 1000)]
    public int MaxSourcePatterns { get; set; } = 20;

    /// <summary>The longest correction of a down-rated answer, in characters (it becomes a training example).</summary>
    [Range(16, 1_000_000)]
    public int MaxCorrectionLength { get; set; } = 16_000;

    /// <summary>The longest feedback comment, in characters.</summary>
    [Range(16, 1_000_000)]
    public int MaxCommentLength { get; set; } = 4000;
}
