namespace Ragtune.Core.Documents;

/// <summary>
/// Measures how deeply an HTML file nests its elements, by a light scan of its tags before any parsing. HTML tree
/// construction walks the stack of open elements for many tags, so a page nested tens of thousands of levels deep
/// takes minutes to parse (100,000 nested divs: 2.5 minutes). The scan is linear and reads bytes, so it needs an
/// ASCII-compatible encoding (UTF-16 is converted first).
/// </summary>
internal static class HtmlNesting
{
    /// <summary>Elements that never have content.</summary>
    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link",
        "meta", "param", "source", "track", "wbr",
    };

    /// <summary>Elements that the next sibling of their kind closes, or that the parser places itself.</summary>
    private static readonly HashSet<string> ImpliedEndElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
        "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp",
    };

    /// <summary>Elements whose content is raw text up to their end tag, where a "&lt;div&gt;" is not a tag.</summary>
    private static readonly HashSet<string> RawTextElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
    };

    /// <summary>The greatest depth of open elements reached, counting only elements that stay open until closed.</summary>
    public static int MaxDepth(ReadOnlySpan<byte> html)
    {
        var depth = 0;
        var max = 0;
        var i = 0;
        while (true)
        {
            var open = html[i..].IndexOf((byte)'<');
            if (open < 0)
            {
                return max;
            }

            i += open + 1;
            var rest = html[i..];
            if (rest.StartsWith("!--"u8))
            {
                i = SkipPast(html, i + 3, "-->"u8);
                continue;
            }

            if (rest.IsEmpty || rest[0] is (byte)'!' or (byte)'?')
            {
                i = SkipPast(html, i, ">"u8);
                continue;
            }

            var closing = rest[0] == (byte)'/';
            var nameStart = closing ? i + 1 : i;
            var nameEnd = nameStart;
            while (nameEnd < html.Length && IsNameByte(html[nameEnd]))
            {
                nameEnd++;
            }

            if (nameEnd == nameStart || !char.IsAsciiLetter((char)html[nameStart]))
            {
                continue;
            }

            var name = System.Text.Encoding.ASCII.GetString(html[nameStart..nameEnd]);
            var tagEnd = EndOfTag(html, nameEnd);
            var selfClosing = tagEnd > 0 && html[tagEnd - 1] == (byte)'/';
            i = Math.Min(tagEnd + 1, html.Length);

            if (VoidElements.Contains(name) || ImpliedEndElements.Contains(name))
            {
                continue;
            }

            if (closing)
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (RawTextElements.Contains(name))
            {
                i = SkipRawText(html, i, name);
            }
            else if (!selfClosing)
            {
                depth++;
                max = Math.Max(max, depth);
            }
        }
    }

    private static bool IsNameByte(byte b) => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)':' or (byte)'_';

    /// <summary>The index of the '&gt;' that ends a tag, skipping quoted attribute values.</summary>
    private static int EndOfTag(ReadOnlySpan<byte> html, int from)
    {
        byte quote = 0;
        for (var i = from; i < html.Length; i++)
        {
            var b = html[i];
            if (quote != 0)
            {
                if (b == quote)
                {
                    quote = 0;
                }
            }
            else if (b is (byte)'"' or (byte)'\'')
            {
                quote = b;
            }
            else if (b == (byte)'>')
            {
                return i;
            }
        }

        return html.Length;
    }

    private static int SkipPast(ReadOnlySpan<byte> html, int from, ReadOnlySpan<byte> terminator)
    {
        if (from >= html.Length)
        {
            return html.Length;
        }

        var found = html[from..].IndexOf(terminator);
        return found < 0 ? html.Length : from + found + terminator.Length;
    }

    /// <summary>Skips to just after the end tag of a raw-text element (matched without regard to case).</summary>
    private static int SkipRawText(ReadOnlySpan<byte> html, int from, string name)
    {
        var i = from;
        while (i < html.Length)
        {
            var next = html[i..].IndexOf("</"u8);
            if (next < 0)
            {
                return html.Length;
            }

            i += next + 2;
            if (i + name.Length <= html.Length
                && System.Text.Encoding.ASCII.GetString(html.Slice(i, name.Length)).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return Math.Min(EndOfTag(html, i + name.Length) + 1, html.Length);
            }
        }

        return html.Length;
    }
}
