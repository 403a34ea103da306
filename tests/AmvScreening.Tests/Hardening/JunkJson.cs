using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace AmvScreening.Tests.Hardening;

/// <summary>
/// Malformed input for the fuzz suite, from a seeded random source: JSON values of every wrong kind (numbers that are
/// not finite or do not fit, numbers as strings, strings with line breaks, NUL, lone surrogates and right-to-left
/// marks, deep nesting), whole bodies that are not JSON, and mutations of a well-formed value (a field left out, one
/// too many, one given twice, one of the wrong type). Strings also come from FsCheck's own generator.
/// </summary>
internal sealed class JunkJson
{
    private const string Marker = "@@junk-7f3a@@";

    private static readonly string[] Numbers =
    [
        "1e999", "-1e999", "1E400", "-0", "0", "-1", "2147483648", "-2147483649", "9223372036854775808", "1.5", "1e-400",
        "99999999999999999999999999999", "4.9e-324", "1.7976931348623157e308",
    ];

    private static readonly string[] NotJsonNumbers = ["NaN", "Infinity", "-Infinity", "0x10", "01", "+1", ".5", "1.", "1e"];

    private static readonly string[] Strings =
    [
        "\"3\"", "\"-1\"", "\"1e999\"", "\"NaN\"", "\"Infinity\"", "\"\"", "\" \"", "\"\\r\\nX-Injected: 1\"", "\"a\\u0000b\"",
        "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"🎬🍙 全集中\"", "\"\\u202Eevil\"", "\"\\t=HYPERLINK(1)\"", "\"../../../../etc/passwd\"",
        "\"C:\\\\Windows\\\\win.ini\"", "\"<script>alert(1)</script>\"", "\"true\"", "\"null\"", "\"coordinator\"", "\"category:1\"",
        "\"category:99999999999\"", "\"best-in-show\"", "\"ballot\"", "\"top-score\"",
    ];

    private static readonly string[] Others = ["true", "false", "null", "[]", "{}", "[null]", "[1e999]", "{\"a\":1,\"a\":2}", "[\"x\",null]", "{\"5\":1}"];

    private static readonly string[] Bodies =
    [
        "", " ", "null", "[]", "{}", "\"x\"", "42", "{", "{\"a\":", "}", "{\"a\":1,}", "{'a':1}", "{/*c*/}", "\uFEFF{}", "[1,2",
        "{\"a\":1}{\"b\":2}", "\u0000", "NaN",
    ];

    private readonly Random _random;
    private readonly IReadOnlyList<string> _generatedStrings;

    public JunkJson(int seed)
    {
        _random = new Random(seed);
        // FsCheck's strings: every kind of character, as JSON strings.
        _generatedStrings = [.. ArbMap.Default.GeneratorFor<string>().Where(s => s is not null).Sample(200, new Rnd((ulong)seed), 60)
            .Select(s => JsonSerializer.Serialize(s))];
    }

    public Random Random => _random;

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>One JSON value of some wrong kind, as raw text (not always valid JSON).</summary>
    public string Value() => _random.Next(9) switch
    {
        0 or 1 => Pick(Numbers),
        2 => Pick(NotJsonNumbers),
        3 or 4 => Pick(Strings),
        5 => Pick(_generatedStrings),
        6 => Pick(Others),
        7 => Deep(_random.Next(2) == 0 ? 70 : 600),
        _ => JsonSerializer.Serialize(new string('x', _random.Next(2) == 0 ? 5_000 : 70_000)),
    };

    /// <summary>A whole body that is not the JSON expected, as bytes (some not even UTF-8).</summary>
    public byte[] Body() => _random.Next(6) switch
    {
        0 => [0xC3, 0x28, 0xFF, 0xFE, 0x7B, 0x7D],
        1 => Encoding.UTF8.GetBytes(Deep(_random.Next(2) == 0 ? 100 : 5_000)),
        2 => Encoding.UTF8.GetBytes(Value()),
        _ => Encoding.UTF8.GetBytes(Pick(Bodies)),
    };

    /// <summary>Arrays or objects nested <paramref name="depth"/> deep.</summary>
    public string Deep(int depth) => _random.Next(2) == 0
        ? new string('[', depth) + new string(']', depth)
        : string.Concat(Enumerable.Repeat("{\"x\":", depth)) + "1" + new string('}', depth);

    /// <summary>A mutation of a well-formed value, as raw text: something somewhere in it replaced by junk or by null, a
    /// field left out, one added, or one given twice.</summary>
    public string Mutate(JsonNode valid) => _random.Next(5) switch
    {
        0 => Replace(valid, _ => Value()),
        4 => Replace(valid, _ => "null"),
        1 => Replace(valid, node => node is JsonObject o && o.Count > 0 ? Without(o, o.ElementAt(_random.Next(o.Count)).Key) : Value(), objectsOnly: true),
        2 => Replace(valid, node => node is JsonObject o ? With(o, Pick(["unexpected", "Score", "__proto__", "$type", ""]), Value()) : Value(), objectsOnly: true),
        _ => Replace(valid, node => node is JsonObject o && o.Count > 0 ? Twice(o) : Value(), objectsOnly: true),
    };

    /// <summary>The value with each of its fields and items in turn replaced by each of the values that broke servers
    /// before (null, numbers that are not finite, a number as a string, a list holding null, an object) and by one
    /// random junk value.</summary>
    public IEnumerable<string> EveryPlace(JsonNode valid)
    {
        var count = Places(valid).Count() - 1;
        for (var i = 0; i < count; i++)
        {
            foreach (var raw in (string[])["null", "1e999", "-1e999", "\"3\"", "[null]", "{}", Value()])
            {
                var copy = valid.DeepClone();
                Places(copy).Skip(1).ElementAt(i).Set!(JsonValue.Create(Marker));
                yield return copy.ToJsonString().Replace(JsonSerializer.Serialize(Marker), raw, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The value with one node (the root included) replaced by what <paramref name="junk"/> makes of it.</summary>
    private string Replace(JsonNode valid, Func<JsonNode, string> junk, bool objectsOnly = false)
    {
        var copy = valid.DeepClone();
        var places = Places(copy).Where(p => !objectsOnly || p.Node is JsonObject).ToList();
        if (places.Count == 0)
        {
            return Value();
        }

        var (node, set) = Pick(places);
        var raw = junk(node);
        if (set is null)
        {
            return raw;
        }

        set(JsonValue.Create(Marker));
        return copy.ToJsonString().Replace(JsonSerializer.Serialize(Marker), raw, StringComparison.Ordinal);
    }

    /// <summary>Every node with a way to put something else in its place (null for the root).</summary>
    private static IEnumerable<(JsonNode Node, Action<JsonNode>? Set)> Places(JsonNode root)
    {
        yield return (root, null);
        foreach (var place in Below(root))
        {
            yield return place;
        }
    }

    private static IEnumerable<(JsonNode Node, Action<JsonNode>? Set)> Below(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (o[key] is { } child)
                    {
                        yield return (child, value => o[key] = value);
                        foreach (var place in Below(child))
                        {
                            yield return place;
                        }
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var index = i;
                    if (a[index] is { } child)
                    {
                        yield return (child, value => a[index] = value);
                        foreach (var place in Below(child))
                        {
                            yield return place;
                        }
                    }
                }

                break;
        }
    }

    private static string Without(JsonObject o, string key)
    {
        var copy = o.DeepClone().AsObject();
        copy.Remove(key);
        return copy.ToJsonString();
    }

    private static string With(JsonObject o, string key, string raw)
    {
        var text = o.ToJsonString();
        return "{" + JsonSerializer.Serialize(key) + ":" + raw + (text.Length > 2 ? "," : "") + text[1..];
    }

    /// <summary>The object with one of its fields given again first (with another value, or the same one).</summary>
    private string Twice(JsonObject o)
    {
        var (key, value) = o.ElementAt(_random.Next(o.Count));
        return With(o, _random.Next(2) == 0 ? key : key.ToUpperInvariant(), _random.Next(2) == 0 ? value?.ToJsonString() ?? "null" : Value());
    }
}
