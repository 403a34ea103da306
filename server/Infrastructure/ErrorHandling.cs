using System.Text.Json;
using System.Text.Json.Serialization;
using AmvScreening.Protocol;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

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

    /// <summary>A request the endpoint could not read, answered through <see cref="Outcomes"/>: a body that is not the
    /// expected JSON is a 400 naming each field at fault (<see cref="JsonBodyErrors"/>), a missing body a 400 naming
    /// "body", anything else (a body too large: 413) its own status with the reason.</summary>
    private sealed class BadRequestExceptionHandler(IOptions<JsonOptions> json) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }

            var bodyType = JsonBodyErrors.BodyType(context.Features.Get<IExceptionHandlerFeature>()?.Endpoint);
            // An endpoint that reads a JSON body was sent none.
            var noBody = bodyType is not null && context.Request.ContentLength is null or 0 && !context.Request.Headers.ContainsKey("Transfer-Encoding");
            var problem = bad.InnerException is JsonException refused
                ? Outcomes.Invalid(await JsonBodyErrors.DescribeAsync(context, refused, bodyType, json.Value.SerializerOptions), title: "The request body is not valid.")
                : bad.StatusCode == StatusCodes.Status400BadRequest && noBody
                ? Outcomes.Invalid("body", "Required: a JSON body.", title: "The request body is missing.")
                : new Refusal(bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "Bad request.", bad.Message)
                    .ToProblem();
            await problem.ExecuteAsync(context);
            return true;
        }
    }
}
