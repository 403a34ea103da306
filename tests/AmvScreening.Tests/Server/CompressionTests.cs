using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Server;

/// <summary>JSON answers of the HTTP API, errors included, come compressed as the client accepts (Brotli or gzip), and
/// the same once decompressed; without Accept-Encoding they come as they are.</summary>
public sealed class CompressionTests(CompressionTests.Server fixture) : IClassFixture<CompressionTests.Server>
{
    public sealed class Server : IDisposable
    {
        public AmvServer Amv { get; } = new(new Dictionary<string, string?> { ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json") });

        public void Dispose() => Amv.Dispose();
    }

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TheoryData<string, string> JsonAnswers() => new()
    {
        { "br", "/api/voting" }, { "gzip", "/api/voting" },
        { "br", "/api/show" }, { "gzip", "/api/show" },
        { "br", "/api/results" }, { "gzip", "/api/results" },
        { "br", "/openapi/v1.json" }, { "gzip", "/openapi/v1.json" },
    };

    [Theory]
    [MemberData(nameof(JsonAnswers))]
    public async Task JsonAnswer_IsCompressed_AsTheClientAccepts(string encoding, string path)
    {
        using var http = Client();
        var plain = await SendAsync(http, HttpMethod.Get, path, null);
        var compressed = await SendAsync(http, HttpMethod.Get, path, encoding);

        Assert.Equal(HttpStatusCode.OK, compressed.Status);
        Assert.Equal("application/json", compressed.MediaType);
        Assert.Equal([encoding], compressed.Encodings);
        Assert.Empty(plain.Encodings);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(plain.Body), JsonNode.Parse(Decompress(compressed.Bytes, encoding))), path);
        // A few dozen bytes (no results yet) gain nothing; anything larger shrinks.
        Assert.True(plain.Bytes.Length < 200 || compressed.Bytes.Length < plain.Bytes.Length / 2,
            $"{path}: {compressed.Bytes.Length} B {encoding} against {plain.Bytes.Length} B");
    }

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task ProblemDetails_AreCompressedToo(string encoding)
    {
        using var http = Client();
        var refused = await SendAsync(http, HttpMethod.Post, "/api/voters", encoding, """{"roomCode":5}""");

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("application/problem+json", refused.MediaType);
        Assert.Equal([encoding], refused.Encodings);
        Assert.NotNull(JsonNode.Parse(Decompress(refused.Bytes, encoding))!["errors"]);
    }

    [Fact]
    public async Task ThePhonePage_KeepsItsOwnCompression_AndIsNotCompressedTwice()
    {
        using var http = Client();
        var page = await SendAsync(http, HttpMethod.Get, "/v/ABCD", "br");

        Assert.Equal("text/html", page.MediaType);
        Assert.Equal(["br"], page.Encodings);
        Assert.Contains("<html", Decompress(page.Bytes, "br"));
    }

    private HttpClient Client() =>
        new(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None, UseCookies = false }) { BaseAddress = fixture.Amv.BaseAddress };

    private sealed record Answer(HttpStatusCode Status, string? MediaType, IReadOnlyList<string> Encodings, byte[] Bytes)
    {
        public string Body => Encoding.UTF8.GetString(Bytes);
    }

    private static async Task<Answer> SendAsync(HttpClient http, HttpMethod method, string path, string? acceptEncoding, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request).WaitAsync(Bound);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, [.. response.Content.Headers.ContentEncoding],
            await response.Content.ReadAsByteArrayAsync().WaitAsync(Bound));
    }

    private static string Decompress(byte[] bytes, string encoding)
    {
        using var input = new MemoryStream(bytes);
        using Stream decompressing = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(decompressing, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
