using System.Globalization;
using Azure.Search.Documents;
using Ragtune.Core.Index;

namespace Ragtune.Azure.Search;

/// <summary>
/// OData filters of the chunk index, built with <c>SearchFilter.Create</c> (values quoted and escaped by the SDK,
/// never concatenated in). Access is filtered inside the query. Source globs have no OData equivalent: each pattern is
/// narrowed in the query to its exact source or its literal folder, and matched exactly on the hits.
/// </summary>
internal static class ChunkFilters
{
    private static string Filter(FormattableString filter) => SearchFilter.Create(filter, CultureInfo.InvariantCulture);

    /// <summary>Only committed chunks: what searches may see.</summary>
    public static string Visible { get; } = Filter($"committed eq {true}");

    /// <summary>The committed chunks of one document.</summary>
    public static string VisibleOf(string documentId) => Filter($"documentId eq {documentId} and committed eq {true}");

    /// <summary>Every chunk of one document, committed or not.</summary>
    public static string AllOf(string documentId) => Filter($"documentId eq {documentId}");

    /// <summary>The chunks of a document written by any other generation than <paramref name="generation"/>.</summary>
    public static string OthersOf(string documentId, string generation) =>
        Filter($"documentId eq {documentId} and generation ne {generation}");

    /// <summary>The filter of a search: committed, readable in the caller's scope, and in the sources' folders.</summary>
    public static string ForSearch(ChunkFilter filter)
    {
        var clauses = new List<string> { Visible };
        if (Access(filter.Access) is { } access)
        {
            clauses.Add(access);
        }

        if (Sources(filter.SourcePatterns) is { } sources)
        {
            clauses.Add(sources);
        }

        return string.Join(" and ", clauses);
    }

    /// <summary>Public documents (no groups) and those sharing a group with the caller; null when unrestricted.</summary>
    public static string? Access(AccessScope access)
    {
        if (access.IsUnrestricted)
        {
            return null;
        }

        var isPublic = "not groups/any()";
        if (access.Groups.Count == 0)
        {
            return isPublic;
        }

        var any = string.Join(" or ", access.Groups.Select(group => Filter($"g eq {group}")));
        return $"({isPublic} or groups/any(g: {any}))";
    }

    /// <summary>
    /// The part of the source patterns an OData filter can say: an exact source for a pattern without wildcards, the
    /// literal folder before the first wildcard otherwise. Null when some pattern allows every folder.
    /// </summary>
    public static string? Sources(IReadOnlyCollection<string> patterns)
    {
        if (patterns.Count == 0)
        {
            return null;
        }

        var alternatives = new List<string>();
        foreach (var pattern in patterns)
        {
            var glob = DocumentIds.NormalizeSource(pattern.Trim());
            var wildcard = glob.IndexOfAny(['*', '?']);
            if (wildcard < 0)
            {
                alternatives.Add(Filter($"source eq {glob}"));
                continue;
            }

            var folder = glob.LastIndexOf('/', wildcard);
            if (folder < 0)
            {
                return null;
            }

            alternatives.Add(Filter($"sourceFolders/any(f: f eq {glob[..(folder + 1)]})"));
        }

        return $"({string.Join(" or ", alternatives.Distinct(StringComparer.Ordinal))})";
    }

    /// <summary>
    /// Search text for the simple query syntax with its operators escaped, so a question is searched as words
    /// (<c>new-hire?</c> is not "new, but not hire").
    /// </summary>
    public static string EscapeSimpleQuery(string text)
    {
        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if ("+-&|!(){}[]^\"~*?:\\/".Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
