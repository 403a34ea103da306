using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AmvScreening.Tests.Support;
using static AmvScreening.Tests.Uploads.TusTesting;

namespace AmvScreening.Tests.Uploads;

/// <summary>Generated malformed tus requests against the real server: every one is a 400 that names the header at
/// fault (or, for bytes no HTTP header may hold, Kestrel's own 400), never a 500, and none creates or changes an upload.</summary>
public sealed class TusMalformedHeaderTests : IDisposable
{
    private readonly AmvServer _server = new();
    private readonly HttpClient _http;

    public TusMalformedHeaderTests() =>
        _http = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 }) { BaseAddress = _server.BaseAddress };

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task MalformedUploadMetadata_Is400NamingIt_AndCreatesNothing()
    {
        var entry = await SubmitAsync(_server);
        var count = 0;
        foreach (var metadata in MalformedTus.Metadata(entry.Secret))
        {
            var request = Request(HttpMethod.Post, "/api/uploads");
            request.Headers.TryAddWithoutValidation("Upload-Length", "1000");
            if (metadata.Length > 0)
            {
                request.Headers.TryAddWithoutValidation("Upload-Metadata", metadata);
            }

            await AssertRefusedAsync(request, "Upload-Metadata", metadata);
            count++;
        }

        Assert.True(count > 300, $"{count} cases");
        Assert.Equal(0, await QueryAsync<long>(_server, "SELECT count(*) FROM uploads"));
    }

    [Fact]
    public async Task MalformedUploadLength_Is400NamingIt_AndCreatesNothing()
    {
        var entry = await SubmitAsync(_server);
        foreach (var length in MalformedTus.Counts().Append("0"))
        {
            var request = Request(HttpMethod.Post, "/api/uploads");
            request.Headers.TryAddWithoutValidation("Upload-Length", length);
            request.Headers.TryAddWithoutValidation("Upload-Metadata", Metadata(("entry", entry.Secret), ("filename", "a.mp4")));
            await AssertRefusedAsync(request, "Upload-Length", length);
        }

        // Given twice, or deferred (not supported), or with a body (creation-with-upload is not supported).
        var twice = Request(HttpMethod.Post, "/api/uploads");
        twice.Headers.TryAddWithoutValidation("Upload-Length", ["10", "20"]);
        await AssertRefusedAsync(twice, "Upload-Length", "twice");
        var deferred = Request(HttpMethod.Post, "/api/uploads");
        deferred.Headers.TryAddWithoutValidation("Upload-Defer-Length", "1");
        await AssertRefusedAsync(deferred, "Upload-Defer-Length", "deferred");
        var withBody = Request(HttpMethod.Post, "/api/uploads");
        withBody.Headers.TryAddWithoutValidation("Upload-Length", "10");
        withBody.Headers.TryAddWithoutValidation("Upload-Metadata", Metadata(("entry", entry.Secret), ("filename", "a.mp4")));
        withBody.Content = new ByteArrayContent(VideoBytes(10));
        await AssertRefusedAsync(withBody, "body", "a body");
        Assert.Equal(0, await QueryAsync<long>(_server, "SELECT count(*) FROM uploads"));
    }

    [Fact]
    public async Task MalformedUploadOffset_Is400NamingIt_AndWritesNothing()
    {
        var entry = await SubmitAsync(_server);
        var url = await CreatedAsync(_http, 1000, entry.Secret);
        foreach (var offset in MalformedTus.Counts(seed: 13).Append("twice"))
        {
            var request = Request(HttpMethod.Patch, url);
            if (offset == "twice")
            {
                request.Headers.TryAddWithoutValidation("Upload-Offset", ["0", "0"]);
            }
            else if (offset.Length > 0)
            {
                request.Headers.TryAddWithoutValidation("Upload-Offset", offset);
            }

            request.Content = new ByteArrayContent(VideoBytes(100));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
            await AssertRefusedAsync(request, "Upload-Offset", offset);
        }

        Assert.Equal(0, await OffsetAsync(_http, url));
    }

    /// <summary>A 400; a ProblemDetails naming <paramref name="field"/> (or a field under it) unless Kestrel refused the
    /// request before the server saw it (bytes no header may hold).</summary>
    private async Task AssertRefusedAsync(HttpRequestMessage request, string field, string value)
    {
        var response = await _http.SendAsync(request).WaitAsync(Bound);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{System.Text.Json.JsonSerializer.Serialize(value)}: {(int)response.StatusCode} {body}");
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            var problem = System.Text.Json.JsonDocument.Parse(body).RootElement;
            Assert.True(problem.GetProperty("errors").EnumerateObject().Any(e => e.Name == field || e.Name.StartsWith(field + ".", StringComparison.Ordinal)),
                $"'{value}': {body}");
        }
        else
        {
            Assert.True(value.Any(c => c > '~'), $"'{value}': a 400 without a ProblemDetails: {body}");
        }
    }
}
