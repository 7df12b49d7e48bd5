using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Ragtune.Core.Index;

/// <summary>
/// The source filter of a search: glob patterns over normalised source paths (see <see cref="DocumentIds.NormalizeSource"/>).
/// <c>*</c> matches any run of characters except '/', <c>?</c> one character except '/', <c>**</c> any run including '/',
/// and <c>**/</c> zero or more whole folders (so <c>handbook/**/*.pdf</c> matches <c>handbook/a.pdf</c>). Every other
/// character matches itself, case-sensitively. Every index applies the same semantics.
/// </summary>
public static class SourceGlob
{
    /// <summary>The longest pattern accepted, in characters.</summary>
    public const int MaxPatternLength = 512;

    private const int MaxCachedPatterns = 256;

    private static readonly ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="source"/> matches <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is empty or longer than <see cref="MaxPatternLength"/>.</exception>
    public static bool IsMatch(string pattern, string source) =>
        GetRegex(pattern).IsMatch(DocumentIds.NormalizeSource(source));

    /// <summary>
    /// A predicate over sources that is true when any pattern matches, or always true when there are no patterns
    /// (an empty filter allows every source). Patterns are checked here, so a bad one fails before any search runs.
    /// </summary>
    /// <exception cref="ArgumentException">A pattern is empty or longer than <see cref="MaxPatternLength"/>.</exception>
    public static Func<string, bool> CreateMatcher(IReadOnlyCollection<string> patterns)
    {
        if (patterns.Count == 0)
        {
            return static _ => true;
        }

        var regexes = patterns.Select(GetRegex).ToArray();
        return source =>
        {
            var normalized = DocumentIds.NormalizeSource(source);
            foreach (var regex in regexes)
            {
                if (regex.IsMatch(normalized))
                {
                    return true;
                }
            }

            return false;
        };
    }

    /// <summary>The anchored .NET regular expression equivalent to a glob pattern.</summary>
    public static string ToRegexPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        if (pattern.Length > MaxPatternLength)
        {
            throw new ArgumentException($"A source pattern may be at most {MaxPatternLength} characters long.", nameof(pattern));
        }

        var glob = DocumentIds.NormalizeSource(pattern.Trim());
        var regex = new StringBuilder("^", glob.Length * 2);
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" is zero or more whole folders; "**" elsewhere is anything at all.
                var end = i;
                while (end + 1 < glob.Length && glob[end + 1] == '*')
                {
                    end++;
                }

                var folders = end + 1 < glob.Length && glob[end + 1] == '/' && (i == 0 || glob[i - 1] == '/');
                regex.Append(folders ? "(?:.*/)?" : ".*");
                i = folders ? end + 1 : end;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex.Append('$').ToString();
    }

    private static Regex GetRegex(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var cached))
        {
            return cached;
        }

        // Non-backtracking: matching time is linear in the source, whatever a caller's pattern looks like.
        var regex = new Regex(ToRegexPattern(pattern), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking | RegexOptions.Singleline);
        if (Cache.Count >= MaxCachedPatterns)
        {
            Cache.Clear();
        }

        Cache[pattern] = regex;
        return regex;
    }
}
