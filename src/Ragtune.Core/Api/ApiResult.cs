using System.Diagnostics.CodeAnalysis;

namespace Ragtune.Core.Api;

/// <summary>A value, or the problem that stands in its way.</summary>
public readonly record struct ApiResult<T>
{
    private ApiResult(T? value, ApiProblem? problem)
    {
        Value = value;
        Problem = problem;
    }

    public T? Value { get; }

    public ApiProblem? Problem { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Problem))]
    public bool Succeeded => Problem is null;

#pragma warning disable CA2225 // The implicit conversions are the point: return a value or a problem.
    public static implicit operator ApiResult<T>(T value) => new(value, null);

    public static implicit operator ApiResult<T>(ApiProblem problem) => new(default, problem);
#pragma warning restore CA2225
}
