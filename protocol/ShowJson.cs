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
}
