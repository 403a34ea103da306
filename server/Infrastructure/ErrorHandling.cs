using System.Text.Json;
using System.Text.Json.Serialization;
using AmvScreening.Protocol;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;

namespace AmvScreening.Server.Infrastructure;

/// <summary>Every error is a ProblemDetails; a request body that does not read as the expected JSON is a 400 naming
/// the field (its JSON path) and what was wrong with it, not an empty 400.</summary>
public static class ErrorHandling
{
    /// <summary>The largest request body accepted, unless an endpoint sets its own limit.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    public static IServiceCollection AddAmvErrorsAndJson(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Minimal APIs throw (instead of answering an empty 400) so the handler above can say what was wrong.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => Configure(o.SerializerOptions));
        return services;
    }

    /// <summary>Strict JSON for the API and the hub: unknown fields, missing required fields and nulls in non-nullable
    /// fields are errors; names and enum strings are camelCase, as for every client (<see cref="ShowJson"/>).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        ShowJson.Configure(options);
    }

    private sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }

            context.Response.StatusCode = bad.StatusCode;
            var problem = bad.InnerException is JsonException json
                ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [FieldOf(json)] = [MessageOf(json)] })
                {
                    Title = "The request body is not valid.",
                    Status = bad.StatusCode,
                }
                : new ProblemDetails
                {
                    Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "Bad request.",
                    Detail = bad.Message,
                    Status = bad.StatusCode,
                };
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
        }

        /// <summary>"$.year" → "year"; a missing field by its name; "$" (the body as a whole) → "body".</summary>
        private static string FieldOf(JsonException json)
        {
            if (MissingFields(json) is { } missing)
            {
                return missing;
            }

            return json.Path is null or "$" || IsSyntaxError(json) ? "body" : json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path;
        }

        /// <summary>The text is not JSON at all (the serializer wraps the reader's error).</summary>
        private static bool IsSyntaxError(JsonException json) => json.InnerException is JsonException;

        /// <summary>The names in "… missing required properties including: 'a', 'b'." as "a, b".</summary>
        private static string? MissingFields(JsonException json)
        {
            const string marker = "missing required properties including: ";
            var at = json.Message.IndexOf(marker, StringComparison.Ordinal);
            return at < 0 ? null : json.Message[(at + marker.Length)..].TrimEnd('.').Replace("'", "");
        }

        /// <summary>The serializer's message without its type names and positions, which mean nothing to a client.</summary>
        private static string MessageOf(JsonException json)
        {
            var message = json.Message;
            if (IsSyntaxError(json))
            {
                return $"Malformed JSON at line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}.";
            }

            if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            {
                var start = message.IndexOf('\'') + 1;
                var name = message[start..message.IndexOf('\'', start)];
                return $"Unknown field '{name}'.";
            }

            if (MissingFields(json) is not null)
            {
                return "Required.";
            }

            if (message.Contains("could not be converted to", StringComparison.Ordinal))
            {
                return "Wrong type of value.";
            }

            if (message.Contains("doesn't allow null values", StringComparison.Ordinal))
            {
                return "Must not be null.";
            }

            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            return cut > 0 ? message[..cut] : message;
        }
    }
}
