using System.Globalization;
using AmvScreening.Server.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace AmvScreening.Server.Uploads;

/// <summary>
/// The tus 1.0.0 routes of <see cref="EntryUploads"/> (docs/entries.md, "Uploads"): OPTIONS and POST (creation) on
/// <c>/api/uploads</c>; HEAD, PATCH and DELETE (termination) on the upload's URL <c>/api/uploads/{id}</c>, whose
/// random 128-bit id is the capability to continue it. Public: the creation request proves the entry by its private
/// page's secret. Every header is read strictly here, once; a malformed one is a 400 naming it.
/// </summary>
public static class UploadEndpoints
{
    public const string Route = "/api/uploads";
    public const string TusResumable = "Tus-Resumable";
    public const string TusVersion = "1.0.0";
    public const string UploadLength = "Upload-Length";
    public const string UploadOffset = "Upload-Offset";
    public const string UploadExpires = "Upload-Expires";
    public const string OffsetOctetStream = "application/offset+octet-stream";

    public static IServiceCollection AddUploads(this IServiceCollection services) =>
        services.AddSingleton<EntryUploads>().AddSingleton<UploadCleanup>().AddHostedService(sp => sp.GetRequiredService<UploadCleanup>());

    public static IEndpointRouteBuilder MapUploads(this IEndpointRouteBuilder app)
    {
        var uploads = app.MapGroup(Route).WithTags("Uploads").AddEndpointFilter(RequireTusResumable);
        uploads.MapMethods("/", [HttpMethods.Options], Options)
            .WithSummary("The tus protocol's version, extensions (creation, termination, expiration) and the largest file (Tus-Max-Size).");
        uploads.MapPost("/", Create)
            .WithSummary("Creates an upload (tus creation): Upload-Length, and Upload-Metadata with entry (the private entry page's secret) and filename. 201 with its URL in Location.");
        uploads.MapMethods("/{id}", [HttpMethods.Head], Head)
            .WithSummary("How far the upload is: Upload-Offset and Upload-Length.");
        uploads.MapPatch("/{id}", Patch)
            .WithSummary("Appends bytes (Content-Type application/offset+octet-stream) at Upload-Offset; the last ones make the file the entry's.");
        uploads.MapDelete("/{id}", Terminate)
            .WithSummary("Ends an unfinished upload and deletes its bytes (tus termination).");
        return app;
    }

    /// <summary>Every tus request but OPTIONS says which version it speaks (412 otherwise); every answer says ours.</summary>
    private static async ValueTask<object?> RequireTusResumable(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers[TusResumable] = TusVersion;
        var version = http.Request.Headers[TusResumable];
        if (!HttpMethods.IsOptions(http.Request.Method) && (version.Count != 1 || version[0] != TusVersion))
        {
            http.Response.Headers["Tus-Version"] = TusVersion;
            return new Refusal(StatusCodes.Status412PreconditionFailed, "Unsupported tus version.",
                $"This server speaks tus {TusVersion}: send the header {TusResumable}: {TusVersion}.", "tus-version", TusResumable).ToProblem();
        }

        return await next(context);
    }

    private static async Task<IResult> Options(HttpResponse response, EntryUploads uploads, CancellationToken ct)
    {
        response.Headers["Tus-Version"] = TusVersion;
        response.Headers["Tus-Extension"] = "creation,termination,expiration";
        response.Headers["Tus-Max-Size"] = (await uploads.MaxBytesAsync(ct)).ToString(CultureInfo.InvariantCulture);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Create(HttpRequest request, HttpResponse response, EntryUploads uploads, CancellationToken ct)
    {
        if (request.Headers.ContainsKey("Upload-Defer-Length"))
        {
            return Outcomes.Invalid("Upload-Defer-Length", $"Not supported: give the file's size in {UploadLength}.");
        }

        if (request.ContentLength is > 0 || request.Headers.ContainsKey(HeaderNames.TransferEncoding))
        {
            return Outcomes.Invalid("body", "A creation request has no body: send the file's bytes with PATCH.");
        }

        if (Count(request.Headers[UploadLength], out var length) is { } lengthError)
        {
            return Outcomes.Invalid(UploadLength, lengthError);
        }

        if (length == 0)
        {
            return Outcomes.Invalid(UploadLength, "An empty file is not a video.");
        }

        var header = request.Headers[UploadMetadata.Header];
        var (metadata, field, error) = header.Count > 1 ? (null, UploadMetadata.Header, "Given more than once.") : UploadMetadata.Parse(header);
        if (metadata is null)
        {
            return Outcomes.Invalid(field, error);
        }

        var created = await uploads.CreateAsync(length, metadata, ct);
        if (!created.Done)
        {
            return created.ToNoContent();
        }

        SetExpires(response, created.Value!);
        return TypedResults.Created($"{Route}/{created.Value!.Id}");
    }

    private static async Task<IResult> Head(string id, HttpResponse response, EntryUploads uploads, CancellationToken ct)
    {
        var upload = IsId(id) ? await uploads.GetAsync(id, ct) : Outcome<EntryUploads.Upload>.NotFound;
        if (!upload.Done)
        {
            return upload.ToNoContent();
        }

        response.Headers[UploadOffset] = upload.Value!.Received.ToString(CultureInfo.InvariantCulture);
        response.Headers[UploadLength] = upload.Value.Length.ToString(CultureInfo.InvariantCulture);
        SetExpires(response, upload.Value);
        return TypedResults.Ok();
    }

    private static async Task<IResult> Patch(string id, HttpContext http, EntryUploads uploads, CancellationToken ct)
    {
        var request = http.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !string.Equals(type.MediaType.Value, OffsetOctetStream, StringComparison.OrdinalIgnoreCase))
        {
            return new Refusal(StatusCodes.Status415UnsupportedMediaType, "Wrong content type.",
                $"The bytes of an upload are sent as {OffsetOctetStream}.", "content-type", HeaderNames.ContentType).ToProblem();
        }

        if (Count(request.Headers[UploadOffset], out var offset) is { } offsetError)
        {
            return Outcomes.Invalid(UploadOffset, offsetError);
        }

        if (request.ContentLength is not { } count)
        {
            return new Refusal(StatusCodes.Status411LengthRequired, "Content-Length required.",
                "Send the number of bytes in Content-Length (chunked bodies are not taken).", "length-required", HeaderNames.ContentLength).ToProblem();
        }

        if (!IsId(id))
        {
            return TypedResults.NotFound();
        }

        // The server's limit on bodies (small, for JSON) gives way to the bytes announced; Uploads refuses more than the
        // upload still needs before reading any.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = Math.Max(count, 1);
        }

        var upload = await uploads.AppendAsync(id, offset, count, request.Body, http.Abort, ct);
        if (!upload.Done)
        {
            return upload.ToNoContent();
        }

        http.Response.Headers[UploadOffset] = upload.Value!.Received.ToString(CultureInfo.InvariantCulture);
        SetExpires(http.Response, upload.Value);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> Terminate(string id, EntryUploads uploads, CancellationToken ct) =>
        (IsId(id) ? await uploads.TerminateAsync(id, ct) : Outcome<bool>.NotFound).ToNoContent();

    /// <summary>An upload's id: 32 lowercase hexadecimal digits (128 random bits).</summary>
    private static bool IsId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    /// <summary>A byte count or offset: digits only, given once; null, or why not.</summary>
    private static string? Count(StringValues values, out long value)
    {
        value = 0;
        if (values.Count == 0)
        {
            return "Required: a whole number of bytes.";
        }

        if (values.Count > 1)
        {
            return "Given more than once.";
        }

        var text = values[0] ?? "";
        if (text.Length is 0 or > 18 || !text.All(char.IsAsciiDigit))
        {
            return "Must be a whole number of bytes: digits only, at most 18.";
        }

        value = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return null;
    }

    private static void SetExpires(HttpResponse response, EntryUploads.Upload upload)
    {
        if (!upload.Complete)
        {
            response.Headers[UploadExpires] = upload.ExpiresAt.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
        }
    }
}
