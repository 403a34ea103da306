using System.Net.Mime;
using Microsoft.AspNetCore.ResponseCompression;

namespace AmvScreening.Server.Infrastructure;

/// <summary>
/// JSON answers of the HTTP API (ProblemDetails included) are compressed, Brotli or gzip as the client accepts
/// (<c>Accept-Encoding</c>): a hall of phones fetches the voting snapshot and the results after every reconnect, and a
/// phone on congested Wi-Fi pays for every kilobyte. Nothing else is: the phone app's page and bundle are compressed
/// once at build time (VoterWeb), the hub's WebSocket frames are not HTTP responses, and Server-Sent Events must not be
/// buffered. Over HTTPS nothing is compressed (the framework's default, against BREACH: some answers carry secrets, such
/// as a join's voter token); behind a TLS proxy, the proxy may compress.
/// </summary>
public static class Compression
{
    public static readonly string[] MimeTypes = [MediaTypeNames.Application.Json, MediaTypeNames.Application.ProblemJson];

    public static IServiceCollection AddAmvCompression(this IServiceCollection services) =>
        services.AddResponseCompression(o =>
        {
            o.MimeTypes = MimeTypes;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
        });
}
