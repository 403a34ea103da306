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
            Check(document.RootElement, "");
            return document.RootElement.Clone();
        }

        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

        private static void Check(JsonElement element, string path)
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
                            throw new RefusedValueException($"{at}: a field given twice.");
                        }

                        Check(property.Value, at);
                    }

                    break;
                case JsonValueKind.Array:
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        Check(item, $"{path}[{i++}]");
                    }

                    break;
                case JsonValueKind.Number when !(element.TryGetDouble(out var number) && double.IsFinite(number)):
                    throw new RefusedValueException(path.Length == 0 ? NotFinite : $"{path}: {NotFinite.ToLowerInvariant()}");
            }
        }
    }
}
