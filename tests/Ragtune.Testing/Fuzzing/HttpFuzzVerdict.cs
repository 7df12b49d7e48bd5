namespace Ragtune.Testing.Fuzzing;

/// <summary>What a host's answer to a <see cref="FuzzRequest"/> must be, whichever host gave it.</summary>
public static class HttpFuzzVerdict
{
    /// <summary>Text that only an exception or a stack trace would put in a response.</summary>
    private static readonly string[] Internals = ["Exception", "   at ", "System.", "Microsoft.", "Ragtune.", ".cs:line", "SQLite"];

    /// <summary>
    /// Null when the answer is acceptable: not a 5xx; an error with a body is Problem Details; no body carries exception
    /// text. Otherwise, what is wrong with it.
    /// </summary>
    public static string? Judge(FuzzRequest request, int status, string? mediaType, string body)
    {
        if (status >= 500)
        {
            return $"{request.Name}: {status} {body}";
        }

        if (status >= 400 && body.Length > 0 && mediaType != "application/problem+json")
        {
            return $"{request.Name}: {status} as {mediaType ?? "no content type"}, not Problem Details: {body}";
        }

        var leak = Internals.FirstOrDefault(i => body.Contains(i, StringComparison.Ordinal));
        return leak is null || status < 400 ? null : $"{request.Name}: the body shows internals ('{leak}'): {body}";
    }
}
