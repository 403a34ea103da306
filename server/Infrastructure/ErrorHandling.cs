using System.Text.Json;
using System.Text.Json.Serialization;
using AmvScreening.Protocol;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.SignalR;
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
        services.AddAmvStorageFull();
        // Minimal APIs throw (instead of answering an empty 400) so the handler above can say what was wrong.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => Configure(o.SerializerOptions));
        services.Configure<HubOptions>(o => o.AddFilter<HubArguments>());
        services.ConfigureAll<Microsoft.AspNetCore.OpenApi.OpenApiOptions>(StrictJson.DescribeTextLists);
        return services;
    }

    /// <summary>Strict JSON for the API and the hub (docs/protocol.md, "Reading JSON"): unknown fields, missing required
    /// fields, nulls in non-nullable fields (list items included), a field given twice, numbers written as strings and
    /// numbers that are not finite are errors; names and enum strings are camelCase, as for every client
    /// (<see cref="ShowJson"/>).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.AllowDuplicateProperties = false;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new StrictJson.FiniteDoubleConverter());
        options.Converters.Add(new StrictJson.TextListConverter());
        options.Converters.Add(new StrictJson.ElementConverter());
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
            // An endpoint that reads a JSON body was sent none.
            var noBody = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>() is not null
                && context.Request.ContentLength is null or 0 && !context.Request.Headers.ContainsKey("Transfer-Encoding");
            var problem = bad.InnerException is JsonException json
                ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [FieldOf(json)] = [MessageOf(json)] })
                {
                    Title = "The request body is not valid.",
                    Status = bad.StatusCode,
                }
                : bad.StatusCode == StatusCodes.Status400BadRequest && noBody
                ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = ["Required: a JSON body."] })
                {
                    Title = "The request body is missing.",
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

        /// <summary>The field at fault, from the exception's JSON path ("$.voting.scoreMax" → "voting.scoreMax"); the
        /// names of missing required fields; "body" for the body as a whole or text that is not JSON.</summary>
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

        /// <summary>The names in "… missing required properties including: 'a', 'b'." as "a, b". The serializer says
        /// which fields are missing only in its message; every other error is told apart by its path and inner exception.</summary>
        private static string? MissingFields(JsonException json)
        {
            const string marker = "missing required properties including: ";
            var at = json.Message.IndexOf(marker, StringComparison.Ordinal);
            return at < 0 ? null : json.Message[(at + marker.Length)..].TrimEnd('.').Replace("'", "");
        }

        /// <summary>What was wrong, in words for a client (the serializer's own messages name .NET types).</summary>
        private static string MessageOf(JsonException json) => json switch
        {
            StrictJson.RefusedValueException refused => refused.Message,
            _ when IsSyntaxError(json) => $"Malformed JSON at line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}.",
            _ when MissingFields(json) is not null => "Required.",
            { InnerException: FormatException or InvalidOperationException or OverflowException } =>
                "Wrong type of value (numbers are JSON numbers, not strings; whole numbers where whole numbers are expected; within range).",
            { Path: null or "$" } => "Expected a JSON object of the documented shape.",
            _ => "Not accepted here: an unknown field, a null where a value is required, or a field given twice.",
        };
    }
}
