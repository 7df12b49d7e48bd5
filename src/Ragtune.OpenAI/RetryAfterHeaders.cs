using System.Globalization;

namespace Ragtune.OpenAI;

/// <summary>
/// Reads how long a service asked to wait: <c>retry-after-ms</c> or <c>x-ms-retry-after-ms</c> (Azure OpenAI, Azure AI
/// Search), else <c>Retry-After</c> in seconds or as an HTTP date.
/// </summary>
internal static class RetryAfterHeaders
{
    public static TimeSpan? Read(Func<string, string?> header)
    {
        foreach (var name in (string[])["retry-after-ms", "x-ms-retry-after-ms"])
        {
            if (double.TryParse(header(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
            {
                return TimeSpan.FromMilliseconds(ms);
            }
        }

        var retryAfter = header("Retry-After");
        if (retryAfter is null)
        {
            return null;
        }

        if (int.TryParse(retryAfter, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            var wait = at - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
