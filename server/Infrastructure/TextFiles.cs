using System.Text;
using Microsoft.Net.Http.Headers;

namespace AmvScreening.Server.Infrastructure;

/// <summary>A file sent as a request's body (a contest file, a list of previous finalists): its media type, and its
/// text when it is UTF-8. Bytes that are not UTF-8 are refused rather than read as replacement characters.</summary>
public static class TextFiles
{
    public const string NotUtf8 = "The file is not UTF-8 text. Save it as UTF-8 (in a spreadsheet: \"CSV UTF-8\").";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The request's media type in lower case ("text/csv"), or null without a valid Content-Type.</summary>
    public static string? MediaType(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ? type.MediaType.Value?.ToLowerInvariant() : null;

    /// <summary>The body as text; null when it is not UTF-8.</summary>
    public static async Task<string?> ReadUtf8Async(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using var reader = new StreamReader(request.Body, StrictUtf8, detectEncodingFromByteOrderMarks: false);
            return await reader.ReadToEndAsync(ct);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
