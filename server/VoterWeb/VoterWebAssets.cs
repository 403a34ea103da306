using System.Collections.Frozen;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace AmvScreening.Server.VoterWeb;

/// <summary>
/// The built phone app (voter-web/dist, copied beside the server as <c>voter-web/</c>), held in memory with its Brotli
/// and gzip forms, made once when the server starts: a handful of small files, so each request is a lookup.
/// </summary>
public sealed partial class VoterWebAssets
{
    public const string IndexName = "index.html";

    /// <summary>The offline shell's service worker, served from the page's folder so that it may serve the pages.</summary>
    public const string ServiceWorkerName = "sw.js";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".webmanifest"] = "application/manifest+json",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, Asset> _assets;

    public VoterWebAssets(string root)
    {
        Root = root;
        _assets = (Directory.Exists(root) ? Directory.GetFiles(root) : [])
            .Where(path => ContentTypes.ContainsKey(Path.GetExtension(path)))
            .Select(path => Asset.Load(path, ContentTypes[Path.GetExtension(path)]))
            .ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
        PagePolicy = PolicyOf(Index);
    }

    /// <summary>The page's Content-Security-Policy, sent as a header: the policy the build wrote into the page's
    /// <c>meta</c> tag (scripts from this server only, exactly the inline style it built), plus what a meta tag cannot
    /// say — that no other site may frame the page.</summary>
    public string PagePolicy { get; }

    /// <summary>The policy of a built page (<see cref="PagePolicy"/> for the phone app's).</summary>
    public static string PolicyOf(Asset? page)
    {
        var meta = page is null ? null : MetaPolicy().Match(System.Text.Encoding.UTF8.GetString(page.Identity));
        return meta is { Success: true }
            ? $"{System.Net.WebUtility.HtmlDecode(meta.Groups[1].Value)}; {Infrastructure.SecurityHeaders.NoFraming}"
            : Infrastructure.SecurityHeaders.NoFraming;
    }

    [System.Text.RegularExpressions.GeneratedRegex("""<meta http-equiv="Content-Security-Policy" content="([^"]*)">""")]
    private static partial System.Text.RegularExpressions.Regex MetaPolicy();

    /// <summary>Where the server looks for the built app: beside its own binaries.</summary>
    public static string DefaultRoot => Path.Combine(AppContext.BaseDirectory, "voter-web");

    public string Root { get; }

    /// <summary>The app's page, or null when the app was not built into <see cref="Root"/>.</summary>
    public Asset? Index => Find(IndexName);

    public Asset? Find(string name) => _assets.GetValueOrDefault(name);

    /// <summary>One file in every encoding, with an ETag per encoding (they are different bytes).</summary>
    public sealed record Asset(string Name, string ContentType, byte[] Identity, byte[] Brotli, byte[] Gzip, string Hash)
    {
        public static Asset Load(string path, string contentType)
        {
            var bytes = File.ReadAllBytes(path);
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..20];
            return new Asset(Path.GetFileName(path), contentType, bytes, CompressBrotli(bytes), CompressGzip(bytes), hash);
        }

        /// <summary>The bytes for a request's Accept-Encoding (Brotli, then gzip, then none), the Content-Encoding to
        /// send (null for none) and the ETag of that form.</summary>
        public (byte[] Body, string? Encoding, string ETag) For(string? acceptEncoding)
        {
            if (Accepts(acceptEncoding, "br") && Brotli.Length < Identity.Length)
            {
                return (Brotli, "br", $"\"{Hash}-br\"");
            }

            return Accepts(acceptEncoding, "gzip") && Gzip.Length < Identity.Length
                ? (Gzip, "gzip", $"\"{Hash}-gz\"")
                : (Identity, null, $"\"{Hash}\"");
        }

        /// <summary>Whether an If-None-Match value names this file in any encoding (the content is the same).</summary>
        public bool Matches(string? ifNoneMatch) =>
            ifNoneMatch is not null && EntityTagHeaderValue.TryParseList(ifNoneMatch.Split(','), out var tags)
            && tags.Any(t => t == EntityTagHeaderValue.Any || t.Tag.AsSpan().Trim('"').ToString().Split('-')[0] == Hash);

        private static bool Accepts(string? acceptEncoding, string coding) =>
            acceptEncoding is not null && StringWithQualityHeaderValue.TryParseList(acceptEncoding.Split(','), out var values)
            && values.Any(v => string.Equals(v.Value.Value, coding, StringComparison.OrdinalIgnoreCase) && (v.Quality ?? 1) > 0);

        private static byte[] CompressBrotli(byte[] bytes)
        {
            var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(bytes.Length)];
            return BrotliEncoder.TryCompress(bytes, buffer, out var written, quality: 11, window: 22)
                ? buffer[..written]
                : bytes;
        }

        private static byte[] CompressGzip(byte[] bytes)
        {
            using var output = new MemoryStream();
            using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                gzip.Write(bytes);
            }

            return output.ToArray();
        }
    }
}
