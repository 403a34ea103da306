using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using AmvScreening.Protocol;
using AmvScreening.Server.VoterWeb;
using AmvScreening.Tests.Support;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Web;

/// <summary>How the server serves the built phone app: compressed, the page never cached, the hashed bundle cached for
/// good; and that the committed build is what the sources build to.</summary>
public sealed partial class VoterWebServingTests : IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Page_AtTheQrUrl_IsNeverCached_AndCompressedAsTheBrowserAllows()
    {
        var (status, headers, body) = await GetAsync("/v/ABC123", "br, gzip");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/html", headers.ContentType);
        Assert.Equal("br", headers.ContentEncoding);
        Assert.Equal("no-cache", headers.CacheControl);
        Assert.Equal("Accept-Encoding", headers.Vary);
        var html = Decode(body, "br");
        Assert.Matches("Content-Security-Policy\" content=\"default-src 'none'; script-src 'self' 'sha256-[^']+'; style-src 'sha256-", html);
        // The one inline script (it loads the bundle, retrying) is allowed by its hash, exactly.
        var inline = Regex.Match(html, "<script>(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("\"/voter/app-", inline);
        Assert.Contains($"script-src 'self' 'sha256-{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(inline)))}'", html);
        Assert.DoesNotContain("unsafe-inline", html);

        var gzip = await GetAsync("/v/ABC123", "gzip");
        Assert.Equal("gzip", gzip.Headers.ContentEncoding);
        Assert.Equal(html, Decode(gzip.Body, "gzip"));

        var plain = await GetAsync("/v/ABC123", null);
        Assert.Null(plain.Headers.ContentEncoding);
        Assert.Equal(html, Encoding.UTF8.GetString(plain.Body));
        Assert.Equal(html, Encoding.UTF8.GetString((await GetAsync("/v", "identity")).Body));
    }

    [Fact]
    public async Task Bundle_HasAHashedName_CachedForAYear_Immutable_And304WhenUnchanged()
    {
        var html = Encoding.UTF8.GetString((await GetAsync("/v/ABC123", null)).Body);
        var bundle = ScriptSource().Match(html).Groups[1].Value;
        Assert.Matches("^/voter/app-[A-Z0-9]{8}\\.js$", bundle);

        var (status, headers, body) = await GetAsync(bundle, "gzip, deflate, br");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/javascript", headers.ContentType);
        Assert.Equal("br", headers.ContentEncoding);
        Assert.Equal(VoterWebEndpoints.ImmutableCache, headers.CacheControl);
        Assert.True(body.Length < 30 * 1024, $"The bundle is {body.Length} bytes compressed.");
        Assert.Contains("HubConnection", Decode(body, "br"));

        using var client = _server.CreateAnonymousClient();
        using var again = new HttpRequestMessage(HttpMethod.Get, bundle);
        again.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(headers.ETag!));
        using var notModified = await client.SendAsync(again).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/voter/app-NOTTHERE.js", null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/voter/index.html", null)).Status);
    }

    [Fact]
    public async Task ServiceWorker_IsServedFromThePagesFolder_NeverCached_NamingTheBundleOfThisBuild()
    {
        var html = Encoding.UTF8.GetString((await GetAsync("/v/ABC123", null)).Body);
        var bundle = ScriptSource().Match(html).Groups[1].Value;

        var (status, headers, body) = await GetAsync("/v/sw.js", "gzip");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/javascript", headers.ContentType);
        Assert.Equal("no-cache", headers.CacheControl);
        var worker = Decode(body, "gzip");
        Assert.Contains($"\"{bundle}\"", worker);
        // It keeps the page and the bundle, nothing of the API.
        Assert.DoesNotContain("/api", worker);
        // Only from the page's folder (its scope): not as an immutable asset.
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/voter/sw.js", null)).Status);
    }

    [Fact]
    public async Task CommittedBuild_IsWhatTheSourcesBuildTo()
    {
        var folder = RepoPaths.Of("voter-web");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "esbuild")),
            $"voter-web's packages are not installed: run `npm ci --prefix voter-web` (./amv build does).");
        using var node = Process.Start(new ProcessStartInfo("node", [Path.Combine(folder, "build.mjs"), "--check"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        try
        {
            await node.WaitForExitAsync().WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            node.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(node.ExitCode == 0, $"{await stdout}{await stderr}");
    }

    [Fact]
    public async Task TheBuildTheServerServes_IsTheCommittedOne()
    {
        var served = new VoterWebAssets(VoterWebAssets.DefaultRoot).Index!;
        var committed = await File.ReadAllBytesAsync(RepoPaths.Of("voter-web", "dist", VoterWebAssets.IndexName));
        Assert.Equal(committed, served.Identity);
    }

    [Fact]
    public async Task Join_FromThePageUrlsCode_Works_AndRoomsJoinUrlPointsAtThePage()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var room = (await coordinator.GetFromJsonAsync<RoomInfo>("/api/room").WaitAsync(Bound))!;
        Assert.EndsWith($"/v/{room.Code}", room.JoinUrl);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(new Uri(room.JoinUrl).AbsolutePath, "gzip")).Status);
    }

    private async Task<(HttpStatusCode Status, Headers Headers, byte[] Body)> GetAsync(string path, string? acceptEncoding)
    {
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = _server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptEncoding is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        }

        using var response = await client.SendAsync(request).WaitAsync(Bound);
        var body = await response.Content.ReadAsByteArrayAsync();
        return (response.StatusCode, new Headers(
            response.Content.Headers.ContentType?.MediaType,
            response.Content.Headers.ContentEncoding.SingleOrDefault(),
            response.Headers.CacheControl?.ToString(),
            string.Join(",", response.Headers.Vary),
            response.Headers.ETag?.ToString()), body);
    }

    private static string Decode(byte[] body, string encoding)
    {
        using Stream input = new MemoryStream(body);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var reader = new StreamReader(decoder, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private sealed record Headers(string? ContentType, string? ContentEncoding, string? CacheControl, string Vary, string? ETag);

    [GeneratedRegex("\"(/voter/app-[^\"]+)\"")]
    private static partial Regex ScriptSource();
}
