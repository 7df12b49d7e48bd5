using System.Security.Cryptography;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Ragtune.Infra.Tests;

/// <summary>
/// Evaluates the template expressions of the compiled main.bicep that depend only on its parameters and variables (and
/// on <c>tenant()</c> and <c>environment()</c>, given here), as Azure Resource Manager would before deploying: enough
/// to see what a setting becomes for given parameter values without a subscription. It knows the functions those
/// expressions use and fails on any other, so a template that comes to need more fails the test loudly.
/// </summary>
internal sealed class ArmExpression
{
    private readonly JsonObject _template;
    private readonly IReadOnlyDictionary<string, JsonNode?> _parameters;
    private readonly string _tenantId;
    private int _skipping;
    private string _text = string.Empty;
    private int _position;

    private ArmExpression(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameters, string tenantId)
    {
        _template = template;
        _parameters = parameters;
        _tenantId = tenantId;
    }

    /// <summary>The Azure public cloud's sign-in endpoint, as <c>environment().authentication.loginEndpoint</c> gives it.</summary>
    public const string LoginEndpoint = "https://login.microsoftonline.com/";

    /// <summary>What <c>subscription().subscriptionId</c> evaluates to.</summary>
    public const string SubscriptionId = "00000000-1111-2222-3333-444444444444";

    /// <summary>
    /// The value of <paramref name="value"/> (a literal, an <c>[expression]</c>, or an object or array of them) for the
    /// given parameter values; a parameter not given takes its default.
    /// </summary>
    public static JsonNode? Evaluate(JsonObject template, JsonNode? value, IReadOnlyDictionary<string, JsonNode?> parameters, string tenantId = "00000000-0000-0000-0000-0000000000aa") =>
        new ArmExpression(template, parameters, tenantId).Value(value);

    private JsonNode? Value(JsonNode? value) => value switch
    {
        JsonObject obj => new JsonObject(obj.Select(pair => KeyValuePair.Create(pair.Key, Value(pair.Value)))),
        JsonArray array => new JsonArray(array.Select(Value).ToArray()),
        JsonValue text when text.TryGetValue<string>(out var s) && s.StartsWith('[') && !s.StartsWith("[[", StringComparison.Ordinal) =>
            new ArmExpression(_template, _parameters, _tenantId).Parse(s[1..^1]),
        JsonValue text when text.TryGetValue<string>(out var s) && s.StartsWith("[[", StringComparison.Ordinal) => JsonValue.Create(s[1..]),
        _ => value?.DeepClone(),
    };

    private JsonNode? Parse(string text)
    {
        _text = text;
        _position = 0;
        var result = Expression();
        SkipSpaces();
        if (_position != _text.Length)
        {
            throw new FormatException($"Unexpected '{_text[_position..]}' in [{_text}].");
        }

        return result;
    }

    private JsonNode? Expression()
    {
        SkipSpaces();
        JsonNode? result;
        if (Peek() == '\'')
        {
            result = JsonValue.Create(StringLiteral());
        }
        else if (char.IsDigit(Peek()) || Peek() == '-')
        {
            var start = _position++;
            while (_position < _text.Length && char.IsDigit(_text[_position]))
            {
                _position++;
            }

            result = JsonValue.Create(long.Parse(_text[start.._position], CultureInfo.InvariantCulture));
        }
        else
        {
            var name = Identifier();
            Expect('(');
            var arguments = new List<JsonNode?>();
            SkipSpaces();
            while (Peek() != ')')
            {
                // As ARM does, if() evaluates only the branch its condition takes: the other is parsed, not evaluated.
                var skipped = _skipping == 0 && name.Equals("if", StringComparison.OrdinalIgnoreCase) && arguments.Count > 0
                    && Bool(arguments[0]) != (arguments.Count == 1);
                _skipping += skipped ? 1 : 0;
                arguments.Add(Expression());
                _skipping -= skipped ? 1 : 0;
                SkipSpaces();
                if (Peek() == ',')
                {
                    _position++;
                }
            }

            Expect(')');
            result = _skipping > 0 ? null : Call(name, arguments);
        }

        // Property access: .name, chained.
        while (_position < _text.Length && _text[_position] == '.')
        {
            _position++;
            var property = Identifier();
            result = _skipping > 0 ? null : result?[property]?.DeepClone() ?? throw new InvalidOperationException($"No property '{property}' in [{_text}].");
        }

        return result;
    }

    private JsonNode? Call(string name, List<JsonNode?> arguments) => name.ToLowerInvariant() switch
    {
        "parameters" => Parameter(Text(arguments[0])),
        "variables" => Value(_template["variables"]?[Text(arguments[0])]
            ?? throw new InvalidOperationException($"No variable '{Text(arguments[0])}'.")),
        "if" => Bool(arguments[0]) ? arguments[1]?.DeepClone() : arguments[2]?.DeepClone(),
        "and" => JsonValue.Create(arguments.All(Bool)),
        "or" => JsonValue.Create(arguments.Any(Bool)),
        "not" => JsonValue.Create(!Bool(arguments[0])),
        "equals" => JsonValue.Create(JsonNode.DeepEquals(arguments[0], arguments[1])),
        "empty" => JsonValue.Create(arguments[0] switch
        {
            null => true,
            JsonObject obj => obj.Count == 0,
            JsonArray array => array.Count == 0,
            var other => string.IsNullOrEmpty(Text(other)),
        }),
        "tolower" => JsonValue.Create(Text(arguments[0]).ToLowerInvariant()),
        "format" => JsonValue.Create(string.Format(CultureInfo.InvariantCulture, Text(arguments[0]), arguments.Skip(1).Select(argument => (object)Text(argument)).ToArray())),
        "createobject" => new JsonObject(arguments.Chunk(2).Select(pair => KeyValuePair.Create(Text(pair[0]), pair[1]?.DeepClone()))),
        "union" => new JsonObject(arguments.SelectMany(argument => argument?.AsObject() ?? [])
            .GroupBy(pair => pair.Key).Select(group => KeyValuePair.Create(group.Key, group.Last().Value?.DeepClone()))),
        "tenant" => new JsonObject { ["tenantId"] = _tenantId },
        "subscription" => new JsonObject { ["id"] = $"/subscriptions/{SubscriptionId}", ["subscriptionId"] = SubscriptionId },
        "uniquestring" => JsonValue.Create(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', arguments.Select(Text)))))[..13]),
        "environment" => new JsonObject { ["authentication"] = new JsonObject { ["loginEndpoint"] = LoginEndpoint } },
        _ => throw new NotSupportedException($"The test's evaluator does not know {name}() in [{_text}]."),
    };

    private JsonNode? Parameter(string name)
    {
        if (_parameters.TryGetValue(name, out var given))
        {
            return given?.DeepClone();
        }

        var declared = _template["parameters"]?[name] ?? throw new InvalidOperationException($"main.bicep has no parameter '{name}'.");
        return Value(declared["defaultValue"] ?? throw new InvalidOperationException($"'{name}' has no default and was not given."));
    }

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text)
        ? text
        : node?.ToJsonString() ?? string.Empty;

    private static bool Bool(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag)
        ? flag
        : throw new InvalidOperationException($"{node?.ToJsonString() ?? "null"} is not a boolean.");

    private string StringLiteral()
    {
        var text = new StringBuilder();
        _position++;
        while (true)
        {
            var c = _text[_position++];
            if (c == '\'')
            {
                if (_position < _text.Length && _text[_position] == '\'')
                {
                    text.Append('\'');
                    _position++;
                    continue;
                }

                return text.ToString();
            }

            text.Append(c);
        }
    }

    private string Identifier()
    {
        var start = _position;
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }

        return _position > start ? _text[start.._position] : throw new FormatException($"Expected a name at {_position} in [{_text}].");
    }

    private void Expect(char c)
    {
        SkipSpaces();
        if (Peek() != c)
        {
            throw new FormatException($"Expected '{c}' at {_position} in [{_text}].");
        }

        _position++;
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void SkipSpaces()
    {
        while (_position < _text.Length && _text[_position] == ' ')
        {
            _position++;
        }
    }
}
