using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;

namespace AmvScreening.Server.Infrastructure;

/// <summary>
/// What was wrong with a JSON request body the serializer refused, by field. It is worked out from typed information
/// only: the exception's kind, inner exception and JSON path, the endpoint's body type (its serialization contract)
/// and the body itself, read again (<see cref="UseRereadableJsonBodies"/>); never from the text of the serializer's
/// messages, which name .NET types and may change from one version to the next.
/// </summary>
public static class JsonBodyErrors
{
    public const string Required = "Required.";
    public const string WrongType = "Wrong type of value (numbers are JSON numbers, not strings; whole numbers where whole numbers are expected; within range).";
    public const string NotAnObject = "Expected a JSON object of the documented shape.";
    public const string UnknownField = "Unknown field: not part of this request.";
    public const string NotNull = "Required: it may not be null.";
    public const string GivenTwice = "Given twice (names are matched ignoring case).";
    public const string NotAccepted = "Not accepted here: an unknown field, a null where a value is required, or a field given twice.";

    /// <summary>Keeps the body of every request to an endpoint that reads a JSON body of a declared shape (in memory:
    /// such bodies are small), so that a refused one can be read again to say which fields are missing. Goes after
    /// routing (it asks the endpoint).</summary>
    public static IApplicationBuilder UseRereadableJsonBodies(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (BodyType(context.GetEndpoint()) is { } type && type != typeof(JsonElement))
        {
            context.Request.EnableBuffering(bufferThreshold: (int)ErrorHandling.MaxRequestBodyBytes);
        }

        return next(context);
    });

    /// <summary>The type of the JSON body an endpoint reads, or null.</summary>
    public static Type? BodyType(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;

    /// <summary>"Malformed JSON at line 3, byte 17." (both counted from 1).</summary>
    public static string Malformed(JsonException json) => $"Malformed JSON at line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}.";

    /// <summary>The problems by field ("voting.scoreMax", "categoryIds[0]"; "body" for the body as a whole).</summary>
    public static async Task<Dictionary<string, string[]>> DescribeAsync(
        HttpContext context, JsonException json, Type? bodyType, JsonSerializerOptions options)
    {
        var field = FieldOf(json.Path);
        switch (json)
        {
            case StrictJson.RefusedValueException refused:
                return One(field, refused.Message);
            case { InnerException: JsonException }: // the reader's: the text is not JSON
                return One("body", Malformed(json));
            case { InnerException: FormatException or InvalidOperationException or OverflowException }:
                return One(field, WrongType);
        }

        return await AtPathAsync(context, json.Path, bodyType, options) is { } place ? place.Describe(field, options) : One(field, NotAccepted);
    }

    private static Dictionary<string, string[]> One(string field, string message) => new() { [field] = [message] };

    /// <summary>"$.voting.scoreMax" → "voting.scoreMax"; "$" → "body".</summary>
    private static string FieldOf(string? path) =>
        path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.StartsWith('$') ? path[1..] : path;

    /// <summary>The body read again and walked to the exception's path alongside the body type's contract; null when the
    /// body cannot be read again or the path does not lead anywhere.</summary>
    private static async Task<Place?> AtPathAsync(HttpContext context, string? path, Type? bodyType, JsonSerializerOptions options)
    {
        if (path is null || bodyType is null || !context.Request.Body.CanSeek)
        {
            return null;
        }

        try
        {
            context.Request.Body.Position = 0;
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var place = new Place(document.RootElement.Clone(), options.GetTypeInfo(bodyType), null, null);
            foreach (var segment in Segments(path))
            {
                place = place.Step(segment, options);
            }

            return place;
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException or NotSupportedException or IOException)
        {
            return null;
        }
    }

    /// <summary>The segments of a path as System.Text.Json writes it: <c>$.name</c>, <c>$['odd.name']</c>, <c>[3]</c>.</summary>
    private static IEnumerable<object> Segments(string path)
    {
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                yield return path[(i + 1)..end];
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                yield return path[(i + 2)..end];
                i = end + 2;
            }
            else
            {
                var end = path.IndexOf(']', i);
                yield return int.Parse(path.AsSpan(i + 1, end - i - 1), System.Globalization.CultureInfo.InvariantCulture);
                i = end + 1;
            }
        }
    }

    /// <summary>A value of the body (undefined when not there), the contract of what belongs there (null when nothing
    /// does), and the object holding it with the name it has there.</summary>
    private sealed record Place(JsonElement Value, JsonTypeInfo? Contract, JsonElement? Parent, string? Name)
    {
        public Place Step(object segment, JsonSerializerOptions options)
        {
            if (segment is int index)
            {
                var item = Value.ValueKind == JsonValueKind.Array && index < Value.GetArrayLength() ? Value[index] : default;
                return new Place(item, Contract is { ElementType: { } element } ? options.GetTypeInfo(element) : null, null, null);
            }

            var name = (string)segment;
            var value = default(JsonElement);
            if (Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var given in Value.EnumerateObject().Where(given => Same(given.Name, name, options)))
                {
                    value = given.Value;
                }
            }

            var contract = Contract switch
            {
                { Kind: JsonTypeInfoKind.Object } => Contract.Properties.FirstOrDefault(p => Same(p.Name, name, options)) is { } property
                    ? options.GetTypeInfo(property.PropertyType)
                    : null,
                { Kind: JsonTypeInfoKind.Dictionary, ElementType: { } element } => options.GetTypeInfo(element),
                _ => null,
            };
            return new Place(value, contract, Value, name);
        }

        public Dictionary<string, string[]> Describe(string field, JsonSerializerOptions options)
        {
            if (Contract is null)
            {
                return One(field, UnknownField);
            }

            if (Contract.Kind == JsonTypeInfoKind.Object && Value.ValueKind == JsonValueKind.Object)
            {
                var missing = Contract.Properties
                    .Where(p => p.IsRequired && !Value.EnumerateObject().Any(given => Same(given.Name, p.Name, options)))
                    .ToDictionary(p => field == "body" ? p.Name : $"{field}.{p.Name}", _ => new[] { Required });
                if (missing.Count > 0)
                {
                    return missing;
                }
            }

            if (Contract.Kind == JsonTypeInfoKind.Object && Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                return One(field, NotAnObject);
            }

            if (Value.ValueKind == JsonValueKind.Null)
            {
                return One(field, NotNull);
            }

            return Parent is { ValueKind: JsonValueKind.Object } parent && parent.EnumerateObject().Count(p => Same(p.Name, Name!, options)) > 1
                ? One(field, GivenTwice)
                : One(field, NotAccepted);
        }

        private static bool Same(string a, string b, JsonSerializerOptions options) =>
            string.Equals(a, b, options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }
}
