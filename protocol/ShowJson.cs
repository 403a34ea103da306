using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AmvScreening.Protocol;

/// <summary>The JSON wire format shared by the server and every .NET client: camelCase names, enums as camelCase
/// strings (<c>"categoryCard"</c>). The server adds its strictness on top (ErrorHandling.Configure).</summary>
public static class ShowJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // A converter in the options wins over the [JsonConverter] on the enum types, which stay PascalCase for
        // serializers that are not configured.
        options.Converters.Add(new ExactEnumConverter());
    }

    /// <summary>The wire format read strictly, as docs/protocol.md promises: an unknown or repeated field, a missing
    /// required field, a null where the type has none, a number as a string or an enum as a number is an error. The
    /// player reads what the hub pushes to it this way.</summary>
    public static void ConfigureStrict(JsonSerializerOptions options)
    {
        Configure(options);
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.AllowDuplicateProperties = false;
        options.NumberHandling = JsonNumberHandling.Strict;
    }

    /// <summary>Enums as their camelCase names (or their <see cref="JsonStringEnumMemberNameAttribute"/>), read exactly
    /// as written: no other case, no spaces, no numbers, and no lists. The framework's converter reads
    /// <c>"next, resume"</c> as the two values OR-ed together, which for a command kind is another command
    /// (<c>previous</c>): a message must mean what it says or be refused.</summary>
    private sealed class ExactEnumConverter : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Exact<>).MakeGenericType(typeToConvert))!;

        private sealed class Exact<T> : JsonConverter<T> where T : struct, Enum
        {
            private static readonly Dictionary<T, string> Names = Enum.GetValues<T>().ToDictionary(v => v, NameOf);
            private static readonly Dictionary<string, T> Values = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

            public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                reader.TokenType == JsonTokenType.String && Values.TryGetValue(reader.GetString()!, out var value)
                    ? value
                    : throw new JsonException($"Expected one of: {string.Join(", ", Values.Keys)}.");

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
                writer.WriteStringValue(Names.TryGetValue(value, out var name) ? name : throw new JsonException($"{value} is not a {typeof(T).Name}."));

            private static string NameOf(T value) =>
                typeof(T).GetField(value.ToString())?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                ?? JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
        }
    }
}
