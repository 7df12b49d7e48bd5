using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Ragtune.Core.Documents;

/// <summary>
/// Reads JSON as <c>path.to.key: value</c> lines (array items as <c>items[0].name</c>), streamed with
/// <see cref="Utf8JsonReader"/> over a bounded buffer so a file of any size reads in flat memory. Invalid JSON fails
/// as corrupt; nesting deeper than <see cref="DocumentReaderOptions.MaxJsonDepth"/>, or one value larger than
/// <see cref="DocumentReaderOptions.MaxJsonValueBytes"/>, as too large.
/// </summary>
public sealed class JsonDocumentReader(DocumentReaderOptions? options = null) : IDocumentReader
{
    private const int InitialBufferBytes = 64 * 1024;

    private readonly DocumentReaderOptions _options = options ?? new DocumentReaderOptions();

    public IReadOnlyCollection<string> Extensions { get; } = [".json"];

    public async IAsyncEnumerable<DocumentPage> ReadAsync(
        string source, Stream content, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var output = new PageTextBuilder(1, _options.BlockCharacters);
        var walker = new JsonWalker(source, output, _options.MaxJsonDepth);
        var buffer = new byte[InitialBufferBytes];
        var length = 0;
        var atStart = true;
        var isFinal = false;

        while (!isFinal)
        {
            var read = await content.ReadAsync(buffer.AsMemory(length), cancellationToken);
            isFinal = read == 0;
            length += read;

            var offset = 0;
            if (atStart)
            {
                if (length < 3 && !isFinal)
                {
                    continue;
                }

                atStart = false;
                offset = buffer.AsSpan(0, length).StartsWith("\uFEFF"u8) ? 3 : 0;
                if (isFinal && buffer.AsSpan(offset, length - offset).Trim(" \t\r\n"u8).IsEmpty)
                {
                    yield break;
                }
            }

            var consumed = offset + walker.Walk(buffer.AsSpan(offset, length - offset), isFinal);
            length -= consumed;
            buffer.AsSpan(consumed, length).CopyTo(buffer);

            if (length == buffer.Length)
            {
                // One token fills the whole buffer: grow it, up to the limit on a single value.
                if (buffer.Length >= _options.MaxJsonValueBytes)
                {
                    throw new DocumentReadException(
                        source,
                        DocumentReadFailure.TooLarge,
                        string.Create(CultureInfo.InvariantCulture, $"a JSON value is larger than {_options.MaxJsonValueBytes / 1024:N0} KB"));
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, _options.MaxJsonValueBytes));
            }

            while (output.TryTake(out var page))
            {
                yield return page;
            }
        }

        output.CompleteBlock();
        while (output.TryTake(out var page))
        {
            yield return page;
        }
    }

    /// <summary>Carries the reader state and the path of open objects and arrays from one buffer to the next.</summary>
    private sealed class JsonWalker(string source, PageTextBuilder output, int maxDepth)
    {
        private readonly List<Frame> _path = [];
        private JsonReaderState _state = new(new JsonReaderOptions
        {
            MaxDepth = maxDepth + 1,
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });

        /// <summary>Reads the complete tokens in the buffer and returns how many bytes they took.</summary>
        public int Walk(ReadOnlySpan<byte> buffer, bool isFinal)
        {
            var reader = new Utf8JsonReader(buffer, isFinal, _state);
            try
            {
                while (reader.Read())
                {
                    Visit(ref reader);
                }
            }
            catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException)
            {
                throw new DocumentReadException(source, DocumentReadFailure.Corrupt, "the file is not valid JSON", exception);
            }

            _state = reader.CurrentState;
            return (int)reader.BytesConsumed;
        }

        private void Visit(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    if (_path.Count >= maxDepth)
                    {
                        throw new DocumentReadException(
                            source,
                            DocumentReadFailure.TooLarge,
                            string.Create(CultureInfo.InvariantCulture, $"the JSON nests more than {maxDepth} levels deep"));
                    }

                    NextValue();
                    _path.Add(new Frame(reader.TokenType == JsonTokenType.StartArray));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    _path.RemoveAt(_path.Count - 1);
                    break;
                case JsonTokenType.PropertyName:
                    _path[^1].Property = reader.GetString();
                    break;
                case JsonTokenType.String:
                    Emit(reader.GetString()!);
                    break;
                case JsonTokenType.Number:
                    Emit(Encoding.UTF8.GetString(reader.ValueSpan));
                    break;
                case JsonTokenType.True:
                    Emit("true");
                    break;
                case JsonTokenType.False:
                    Emit("false");
                    break;
                case JsonTokenType.Null:
                    Emit("null");
                    break;
            }
        }

        /// <summary>A value begins: in an array it is the next item.</summary>
        private void NextValue()
        {
            if (_path.Count > 0 && _path[^1].IsArray)
            {
                _path[^1].Index++;
            }
        }

        private void Emit(string value)
        {
            NextValue();
            var text = value.ReplaceLineEndings(" ").Trim();
            if (text.Length == 0)
            {
                return;
            }

            var path = Path();
            output.AddLine(path.Length == 0 ? text : path + ": " + text);
        }

        private string Path()
        {
            var path = new StringBuilder();
            foreach (var frame in _path)
            {
                if (frame.IsArray)
                {
                    path.Append('[').Append(frame.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
                }
                else
                {
                    if (path.Length > 0)
                    {
                        path.Append('.');
                    }

                    path.Append(frame.Property);
                }
            }

            return path.ToString();
        }

        private sealed class Frame(bool isArray)
        {
            public bool IsArray { get; } = isArray;

            public int Index { get; set; } = -1;

            public string? Property { get; set; }
        }
    }
}
