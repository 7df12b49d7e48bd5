using System.Diagnostics;
using System.Globalization;

namespace Ragtune.Testing.Telemetry;

/// <summary>Everything a span carries as text, for privacy assertions: its name, status, tags, events and links.</summary>
public static class SpanText
{
    /// <summary>The span's name, status description, each tag (<c>key=value</c>), each event's name and tags, each link's tags.</summary>
    public static IEnumerable<string> Of(Activity span)
    {
        yield return span.OperationName;
        yield return span.DisplayName;
        if (span.StatusDescription is not null)
        {
            yield return span.StatusDescription;
        }

        foreach (var tag in span.TagObjects)
        {
            yield return Tag(tag);
        }

        foreach (var spanEvent in span.Events)
        {
            yield return spanEvent.Name;
            foreach (var tag in spanEvent.Tags)
            {
                yield return Tag(tag);
            }
        }

        foreach (var link in span.Links)
        {
            foreach (var tag in link.Tags ?? [])
            {
                yield return Tag(tag);
            }
        }

        foreach (var baggage in span.Baggage)
        {
            yield return $"{baggage.Key}={baggage.Value}";
        }
    }

    /// <summary>A tag as <c>key=value</c>, arrays joined by commas.</summary>
    public static string Tag(KeyValuePair<string, object?> tag) => $"{tag.Key}={Value(tag.Value)}";

    private static string? Value(object? value) => value switch
    {
        null => null,
        string text => text,
        System.Collections.IEnumerable items => string.Join(',', items.Cast<object?>().Select(Value)),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
