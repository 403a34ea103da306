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
        // serializers that are not configured (they still read camelCase: enum names are matched case-insensitively).
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
    }
}
