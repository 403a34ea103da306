using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AmvScreening.Server.Infrastructure;

/// <summary>The converters that make the API's and the hub's JSON strict where the serializer's options cannot
/// (<see cref="ErrorHandling.Configure"/>): numbers must be finite (<c>1e999</c> would read as infinity), lists of texts
/// hold no null, and a free-form JSON value (the pre-flight report) has neither a field given twice nor a number that is
/// not finite.</summary>
public static class StrictJson
{
    /// <summary>A value refused by one of these converters; its message is meant for the client.</summary>
    public sealed class RefusedValueException(string message) : JsonException(message);

    public const string NotFinite = "Must be a finite number.";

    public sealed class FiniteDoubleConverter : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            // GetDouble throws on anything but a number token (a string "3" included): the serializer reports that as
            // a value of the wrong type. Text too large for a double reads as infinity, which is refused here.
            var value = reader.GetDouble();
            return double.IsFinite(value) ? value : throw new RefusedValueException(NotFinite);
        }

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    /// <summary>The OpenAPI document cannot see through <see cref="TextListConverter"/>: it describes the lists
    /// (JSON arrays of strings) itself.</summary>
    public static void DescribeTextLists(OpenApiOptions options) => options.AddSchemaTransformer((schema, context, _) =>
    {
        if (context.JsonTypeInfo.Type == typeof(IReadOnlyList<string>))
        {
            schema.Type = JsonSchemaType.Array;
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
        }

        return Task.CompletedTask;
    });

    /// <summary>A list of texts (editors, anime sources): every item a string, none null.</summary>
    public sealed class TextListConverter : JsonConverter<IReadOnlyList<string>>
    {
        public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new RefusedValueException("Expected a list of texts.");
            }

            var items = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                items.Add(reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString()!,
                    JsonTokenType.Null => throw new RefusedValueException($"Item {items.Count} is null: every item must be a text."),
                    _ => throw new RefusedValueException($"Item {items.Count} is not a text: every item must be a text."),
                });
            }

            return items;
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var item in value)
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
        }
    }

    /// <summary>A free-form JSON value, held as it came once it is known to be strict JSON.</summary>
    public sealed class ElementConverter : JsonConverter<JsonElement>
    {
        public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return Problem(document.RootElement, "", finiteNumbers: true) is { } problem
                ? throw new RefusedValueException(problem)
                : document.RootElement.Clone();
        }

        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);
    }

    /// <summary>Where a JSON value (parsed with duplicates allowed) first has a field given twice, as
    /// "Duplicate field: contest.year is given twice.", or null.</summary>
    public static string? FieldGivenTwice(JsonElement element) => Problem(element, "", finiteNumbers: false);

    /// <summary>The first field given twice (names compared exactly) or, with <paramref name="finiteNumbers"/>, number
    /// that is not finite, as words naming its path; or null.</summary>
    private static string? Problem(JsonElement element, string path, bool finiteNumbers)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (!names.Add(property.Name))
                    {
                        return $"Duplicate field: {at} is given twice.";
                    }

                    if (Problem(property.Value, at, finiteNumbers) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Problem(item, $"{path}[{i++}]", finiteNumbers) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            case JsonValueKind.Number when finiteNumbers && !(element.TryGetDouble(out var number) && double.IsFinite(number)):
                return path.Length == 0 ? NotFinite : $"{path}: {NotFinite.ToLowerInvariant()}";
            default:
                return null;
        }
    }
}
