using System.Net;
using System.Net.Sockets;
using System.Text;
using AmvScreening.Server.Uploads;
using AmvScreening.Tests.Support;
using static AmvScreening.Tests.Uploads.TusTesting;

namespace AmvScreening.Tests.Uploads;

/// <summary>The tus protocol of entries' uploads over real HTTP against the real server (docs/entries.md, "Uploads"):
/// creation, offsets, completion into the entry's file, and every refusal with the rule it names.</summary>
public sealed class TusProtocolTests : IDisposable
{
    private readonly AmvServer _server = new();
    private readonly HttpClient _http;

    public TusProtocolTests() => _http = _server.CreateAnonymousClient();

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task Upload_InChunks_BecomesTheEntrysFile_WithItsSha256_QueuedForItsCheck()
    {
        var entry = await SubmitAsync(_server);
        var bytes = VideoBytes(3_500_000);
        var created = await CreateAsync(_http, bytes.Length, entry.Secret, "私のAMV final.mp4");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("1.0.0", created.Headers.GetValues("Tus-Resumable").Single());
        var url = created.Headers.Location!.ToString();
        Assert.Matches("^/api/uploads/[0-9a-f]{32}$", url);
        Assert.True(created.Headers.TryGetValues("Upload-Expires", out var expires) && DateTimeOffset.Parse(expires.Single()) > DateTimeOffset.UtcNow);
        Assert.Equal(0, await OffsetAsync(_http, url));

        var first = await PatchAsync(_http, url, 0, bytes.AsMemory(0, 1_000_000));
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal("1000000", first.Headers.GetValues("Upload-Offset").Single());
        Assert.Equal(1_000_000, await OffsetAsync(_http, url));
        Assert.Null((await FileOfAsync(_server, entry.Id)).FilePath); // not the entry's file until the last byte

        var last = await SendAsync(_http, url, bytes, from: 1_000_000, chunk: 1_000_000);
        Assert.Equal(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), last.Headers.GetValues("Upload-Offset").Single());

        var id = url[(url.LastIndexOf('/') + 1)..];
        var file = await FileOfAsync(_server, entry.Id);
        Assert.Equal(new FileColumns($"entries/{entry.Id}/{id}.mp4", bytes.Length, Sha256(bytes), "私のAMV final.mp4", "queued", null, null, null, null), file);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_server.DataDirectory, file.FilePath!)));
        Assert.Empty(Directory.GetFiles(Path.Combine(_server.DataDirectory, "uploads")));
        Assert.Equal(1, await QueryAsync<long>(_server, "SELECT count(*) FROM uploads WHERE completed_at IS NOT NULL AND received = length"));
        // Asked again (a client that missed the last answer), the upload says it is complete.
        Assert.Equal(bytes.Length, await OffsetAsync(_http, url));
    }

    [Fact]
    public async Task Replacing_TheFile_DeletesTheOldFileAndProxy_AndClearsTheOldCheck()
    {
        var entry = await SubmitAsync(_server);
        var firstBytes = VideoBytes(300_000, seed: 1);
        await SendAsync(_http, await CreatedAsync(_http, firstBytes.Length, entry.Secret), firstBytes);
        var firstFile = Path.Combine(_server.DataDirectory, (await FileOfAsync(_server, entry.Id)).FilePath!);
        var proxy = Path.Combine(_server.DataDirectory, "proxies", $"{entry.Id}.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(proxy)!);
        await File.WriteAllTextAsync(proxy, "proxy");
        await ExecuteAsync(_server,
            """
            UPDATE submissions SET check_state = 'failed', check_progress = 1, check_report = '{"durationSeconds": 342}',
                check_message = '5:42 is over the 5:30 limit', proxy_path = @proxyPath WHERE id = @Id
            """,
            new { proxyPath = $"proxies/{entry.Id}.mp4", entry.Id });

        var secondBytes = VideoBytes(200_000, seed: 2);
        await SendAsync(_http, await CreatedAsync(_http, secondBytes.Length, entry.Secret), secondBytes);

        var file = await FileOfAsync(_server, entry.Id);
        Assert.Equal((Sha256(secondBytes), 200_000L, "queued"), (file.FileSha256, file.FileBytes!.Value, file.CheckState));
        Assert.Equal((null, null, null, null), (file.CheckProgress, file.CheckReport, file.CheckMessage, file.ProxyPath));
        Assert.False(File.Exists(firstFile));
        Assert.False(File.Exists(proxy));
        Assert.Equal(secondBytes, await File.ReadAllBytesAsync(Path.Combine(_server.DataDirectory, file.FilePath!)));
    }

    [Fact]
    public async Task Options_SaysTheVersionTheExtensionsAndTheContestsCapInBytes()
    {
        await ExecuteAsync(_server, "UPDATE contest SET max_file_megabytes = 330");
        var response = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/api/uploads")).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Version").Single());
        Assert.Equal("creation,termination,expiration", response.Headers.GetValues("Tus-Extension").Single());
        Assert.Equal((330L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("Tus-Max-Size").Single());
    }

    [Fact]
    public async Task Patch_AtAnyOffsetButTheUploads_Is409WithTheOffset_AndWritesNothing()
    {
        var entry = await SubmitAsync(_server);
        var bytes = VideoBytes(100_000);
        var url = await CreatedAsync(_http, bytes.Length, entry.Secret);
        await PatchAsync(_http, url, 0, bytes.AsMemory(0, 40_000));
        foreach (var offset in (long[])[0, 1, 39_999, 40_001, 99_999, 100_000, 100_001, 999_999_999_999_999_999])
        {
            var response = await PatchAsync(_http, url, offset, bytes.AsMemory(0, 10));
            Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"offset {offset}: {await Describe(response)}");
            var problem = await ProblemAsync(response);
            Assert.Equal("offset-mismatch", problem.GetProperty("reason").GetString());
            Assert.Contains("40000", problem.GetProperty("errors").GetProperty("Upload-Offset")[0].GetString());
        }

        Assert.Equal(40_000, await OffsetAsync(_http, url));
        await SendAsync(_http, url, bytes, from: 40_000);
        Assert.Equal(Sha256(bytes), (await FileOfAsync(_server, entry.Id)).FileSha256);
    }

    [Fact]
    public async Task Creation_OverTheContestsCap_Is413NamingUploadLength_AndMoreBytesThanAnnounced_Is413()
    {
        await ExecuteAsync(_server, "UPDATE contest SET max_file_megabytes = 2");
        var entry = await SubmitAsync(_server);
        var over = await CreateAsync(_http, 2 * 1024 * 1024 + 1, entry.Secret);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        var problem = await ProblemAsync(over);
        Assert.Equal("too-large", problem.GetProperty("reason").GetString());
        Assert.Contains("limit is 2 MB", problem.GetProperty("errors").GetProperty("Upload-Length")[0].GetString());
        Assert.Equal(0, await QueryAsync<long>(_server, "SELECT count(*) FROM uploads"));

        var url = await CreatedAsync(_http, 2 * 1024 * 1024, entry.Secret); // exactly the cap is fine
        var bytes = VideoBytes(2 * 1024 * 1024 + 10);
        var tooMany = await PatchAsync(_http, url, 0, bytes);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany.StatusCode);
        Assert.Equal("too-many-bytes", (await ProblemAsync(tooMany)).GetProperty("reason").GetString());
        Assert.Equal(0, await OffsetAsync(_http, url));
    }

    [Fact]
    public async Task Creation_ForAnUnknownEntry_Is404NamingTheEntry_ForAWithdrawnOne_403()
    {
        var entry = await SubmitAsync(_server);
        var unknown = await CreateAsync(_http, 1000, entry.Secret + "x");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var problem = await ProblemAsync(unknown);
        Assert.Equal("unknown-entry", problem.GetProperty("reason").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("Upload-Metadata.entry", out _));

        await ExecuteAsync(_server, "UPDATE submissions SET withdrawn_at = '2026-11-02T00:00:00.0000000Z' WHERE id = @Id", entry);
        var withdrawn = await CreateAsync(_http, 1000, entry.Secret);
        Assert.Equal(HttpStatusCode.Forbidden, withdrawn.StatusCode);
        Assert.Equal("withdrawn", (await ProblemAsync(withdrawn)).GetProperty("reason").GetString());
        Assert.Equal(0, await QueryAsync<long>(_server, "SELECT count(*) FROM uploads"));
    }

    [Fact]
    public async Task Patch_AfterTheEntryWasWithdrawn_IsRefused_AndTheEntryGetsNoFile()
    {
        var entry = await SubmitAsync(_server);
        var bytes = VideoBytes(50_000);
        var url = await CreatedAsync(_http, bytes.Length, entry.Secret);
        await PatchAsync(_http, url, 0, bytes.AsMemory(0, 20_000));
        await ExecuteAsync(_server, "UPDATE submissions SET withdrawn_at = '2026-11-02T00:00:00.0000000Z' WHERE id = @Id", entry);
        var refused = await PatchAsync(_http, url, 20_000, bytes.AsMemory(20_000));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("withdrawn", (await ProblemAsync(refused)).GetProperty("reason").GetString());
        Assert.Null((await FileOfAsync(_server, entry.Id)).FilePath);
    }

    [Fact]
    public async Task AnEntryPromotedToTheShow_TakesNoNewUpload_AndAnUploadUnderWayIsRefused_TheShowsFileStays()
    {
        var entry = await SubmitAsync(_server);
        var first = VideoBytes(30_000, seed: 1);
        await PatchAsync(_http, await CreatedAsync(_http, first.Length, entry.Secret), 0, first);
        var bytes = VideoBytes(50_000, seed: 2);
        var url = await CreatedAsync(_http, bytes.Length, entry.Secret);
        await PatchAsync(_http, url, 0, bytes.AsMemory(0, 20_000));
        // Promoted as the Selection page does it: a finalist of the show made from the entry, which names it.
        await ExecuteAsync(_server, """
            INSERT INTO entries (category_id, position, title, editors, music_artist, music_title)
            SELECT category_id, 1, title, editors, music_artist, music_title FROM submissions WHERE id = @Id;
            UPDATE submissions SET promoted_entry_id = last_insert_rowid() WHERE id = @Id;
            """, entry);

        var refused = await PatchAsync(_http, url, 20_000, bytes.AsMemory(20_000));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("promoted", (await ProblemAsync(refused)).GetProperty("reason").GetString());
        var created = await CreateAsync(_http, 1000, entry.Secret);
        Assert.Equal(HttpStatusCode.Forbidden, created.StatusCode);
        Assert.Contains("finalist in the show", (await ProblemAsync(created)).GetProperty("detail").GetString());
        Assert.Equal(Sha256(first), (await FileOfAsync(_server, entry.Id)).FileSha256);
    }

    /// <summary>The race the check at the PATCH's start cannot see: the entry is promoted while the last bytes are on
    /// their way. The promotion wins: the upload is refused as promoted and the show's file stays.</summary>
    [Fact]
    public async Task AnEntryPromotedWhileItsLastBytesAreOnTheirWay_KeepsTheShowsFile_TheUploadIsRefused()
    {
        var entry = await SubmitAsync(_server);
        var first = VideoBytes(30_000, seed: 1);
        await PatchAsync(_http, await CreatedAsync(_http, first.Length, entry.Secret), 0, first);
        var bytes = VideoBytes(200_000, seed: 2);
        var url = await CreatedAsync(_http, bytes.Length, entry.Secret);
        var uploads = _server.Services.GetRequiredService<EntryUploads>();
        var receivedBefore = uploads.BytesReceived;

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port).WaitAsync(Bound);
        var head = $"PATCH {url} HTTP/1.1\r\nHost: {_server.BaseAddress.Authority}\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n" +
            $"Content-Type: application/offset+octet-stream\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head)).WaitAsync(Bound);
        await socket.SendAsync(bytes.AsMemory(0, 150_000)).AsTask().WaitAsync(Bound);
        await WaitForReceivedAsync(uploads, receivedBefore, 150_000); // the PATCH is past its checks, reading the body
        await ExecuteAsync(_server, """
            INSERT INTO entries (category_id, position, title, editors, music_artist, music_title)
            SELECT category_id, 1, title, editors, music_artist, music_title FROM submissions WHERE id = @Id;
            UPDATE submissions SET promoted_entry_id = last_insert_rowid() WHERE id = @Id;
            """, entry);
        await socket.SendAsync(bytes.AsMemory(150_000)).AsTask().WaitAsync(Bound);

        var answer = new StringBuilder();
        var buffer = new byte[4096];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Bound) is > 0 and var read)
        {
            answer.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        Assert.StartsWith("HTTP/1.1 403", answer.ToString());
        Assert.Contains("\"promoted\"", answer.ToString());
        Assert.Equal(Sha256(first), (await FileOfAsync(_server, entry.Id)).FileSha256);
        // Nothing of the refused upload is left: no row, no part, no file in the entry's folder but the show's.
        Assert.Equal(404, (int)(await _http.SendAsync(Request(HttpMethod.Head, url)).WaitAsync(Bound)).StatusCode);
        var folder = Path.Combine(_server.DataDirectory, "entries", entry.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Patch_WithAnotherContentType_Is415_WithoutTusResumable_Is412()
    {
        var entry = await SubmitAsync(_server);
        var url = await CreatedAsync(_http, 1000, entry.Secret);
        foreach (var type in (string[])["application/octet-stream", "text/plain", "application/offset+octet-streamx", "multipart/form-data; boundary=x"])
        {
            var request = Request(HttpMethod.Patch, url);
            request.Headers.TryAddWithoutValidation("Upload-Offset", "0");
            request.Content = new ByteArrayContent(VideoBytes(1000));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            var response = await _http.SendAsync(request).WaitAsync(Bound);
            Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{type}: {await Describe(response)}");
            Assert.True((await ProblemAsync(response)).GetProperty("errors").TryGetProperty("Content-Type", out _));
        }

        foreach (var version in (string?[])[null, "", "0.2.2", "1.0", "1.0.0,1.0.0", "1.0.0.0"])
        {
            foreach (var method in (HttpMethod[])[HttpMethod.Post, HttpMethod.Patch, HttpMethod.Head, HttpMethod.Delete])
            {
                var request = new HttpRequestMessage(method, method == HttpMethod.Post ? "/api/uploads" : url);
                if (version is not null)
                {
                    request.Headers.TryAddWithoutValidation("Tus-Resumable", version);
                }

                var response = await _http.SendAsync(request).WaitAsync(Bound);
                Assert.True(response.StatusCode == HttpStatusCode.PreconditionFailed, $"{method} with '{version}': {await Describe(response)}");
                Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Version").Single());
            }
        }

        Assert.Equal(0, await OffsetAsync(_http, url));
    }

    [Fact]
    public async Task NotAVideo_IsRefused415NamingTheRule_AndItsBytesAreDeleted()
    {
        var entry = await SubmitAsync(_server);
        byte[][] notVideos =
        [
            [0x89, .. "PNG\r\n\u001a\n"u8, .. new byte[3000]],
            [.. "%PDF-1.7\n"u8, .. new byte[3000]],
            [.. "PK\u0003\u0004"u8, .. new byte[3000]],
            [.. "RIFF\u0000\u0010\u0000\u0000WAVEfmt "u8, .. new byte[3000]],
            [.. Encoding.UTF8.GetBytes(new string('a', 3000))],
            [.. "ftyp"u8], // too short to be anything
        ];
        foreach (var bytes in notVideos)
        {
            var url = await CreatedAsync(_http, bytes.Length, entry.Secret);
            // Sent in two parts when it is long: the refusal comes with the part that completes the first kilobyte.
            var firstPart = bytes.Length > 1024 ? 500 : 0;
            if (firstPart > 0)
            {
                Assert.Equal(HttpStatusCode.NoContent, (await PatchAsync(_http, url, 0, bytes.AsMemory(0, firstPart))).StatusCode);
            }

            var response = await PatchAsync(_http, url, firstPart, bytes.AsMemory(firstPart));
            Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, await Describe(response));
            var problem = await ProblemAsync(response);
            Assert.Equal("not-a-video", problem.GetProperty("reason").GetString());
            Assert.Contains("must be a video", problem.GetProperty("detail").GetString());
            var head = await _http.SendAsync(Request(HttpMethod.Head, url)).WaitAsync(Bound);
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }

        Assert.Empty(Directory.GetFiles(Path.Combine(_server.DataDirectory, "uploads")));
        Assert.Equal(0, await QueryAsync<long>(_server, "SELECT count(*) FROM uploads"));
        Assert.Null((await FileOfAsync(_server, entry.Id)).FilePath);
    }

    [Fact]
    public async Task CompleteUpload_RefusesMoreBytesAndTermination()
    {
        var entry = await SubmitAsync(_server);
        var bytes = VideoBytes(5000);
        var url = await CreatedAsync(_http, bytes.Length, entry.Secret);
        await SendAsync(_http, url, bytes);
        var patch = await PatchAsync(_http, url, bytes.Length, Array.Empty<byte>());
        Assert.Equal(HttpStatusCode.Forbidden, patch.StatusCode);
        Assert.Equal("upload-complete", (await ProblemAsync(patch)).GetProperty("reason").GetString());
        var delete = await _http.SendAsync(Request(HttpMethod.Delete, url)).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.True(File.Exists(Path.Combine(_server.DataDirectory, (await FileOfAsync(_server, entry.Id)).FilePath!)));
    }

    [Fact]
    public async Task Termination_DeletesTheUploadAndItsBytes_AndANewUploadEndsTheEntrysUnfinishedOne()
    {
        var entry = await SubmitAsync(_server);
        var bytes = VideoBytes(5000);
        var first = await CreatedAsync(_http, bytes.Length, entry.Secret);
        await PatchAsync(_http, first, 0, bytes.AsMemory(0, 2000));
        var second = await CreatedAsync(_http, bytes.Length, entry.Secret);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.SendAsync(Request(HttpMethod.Head, first)).WaitAsync(Bound)).StatusCode);
        Assert.Single(Directory.GetFiles(Path.Combine(_server.DataDirectory, "uploads")));

        await PatchAsync(_http, second, 0, bytes.AsMemory(0, 2000));
        var delete = await _http.SendAsync(Request(HttpMethod.Delete, second)).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.SendAsync(Request(HttpMethod.Head, second)).WaitAsync(Bound)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(_http, second, 2000, bytes.AsMemory(2000))).StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(_server.DataDirectory, "uploads")));
        Assert.Equal(0, await QueryAsync<long>(_server, "SELECT count(*) FROM uploads"));
    }

    [Fact]
    public async Task UploadUrls_AreRandom128BitIds_AndOtherIdsAre404()
    {
        var urls = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            urls.Add(await CreatedAsync(_http, 1000, (await SubmitAsync(_server, $"Entry {i}")).Secret));
        }

        Assert.Equal(20, urls.Count);
        Assert.All(urls, u => Assert.Matches("^/api/uploads/[0-9a-f]{32}$", u));
        foreach (var id in (string[])["0", "../amv.db", "..%2Famv.db", "0123456789ABCDEF0123456789ABCDEF", new string('0', 32), urls.First()[13..^1] + "g"])
        {
            var head = await _http.SendAsync(Request(HttpMethod.Head, $"/api/uploads/{id}")).WaitAsync(Bound);
            Assert.True(head.StatusCode == HttpStatusCode.NotFound, $"{id}: {(int)head.StatusCode}");
            var patch = await PatchAsync(_http, $"/api/uploads/{id}", 0, VideoBytes(10));
            Assert.True(patch.StatusCode == HttpStatusCode.NotFound, $"{id}: {await Describe(patch)}");
        }
    }

    /// <summary>A PATCH whose connection is cut half-way: the bytes that arrived are kept, and the upload goes on from
    /// them.</summary>
    [Fact]
    public async Task Patch_CutHalfWay_KeepsTheBytesThatArrived_AndTheUploadGoesOnFromThem()
    {
        var entry = await SubmitAsync(_server);
        var bytes = VideoBytes(2_000_000);
        var url = await CreatedAsync(_http, bytes.Length, entry.Secret);
        var uploads = _server.Services.GetRequiredService<EntryUploads>();
        var receivedBefore = uploads.BytesReceived;

        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port).WaitAsync(Bound);
            var head = $"PATCH {url} HTTP/1.1\r\nHost: {_server.BaseAddress.Authority}\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n" +
                $"Content-Type: application/offset+octet-stream\r\nContent-Length: {bytes.Length}\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(head)).WaitAsync(Bound);
            await socket.SendAsync(bytes.AsMemory(0, 1_200_000)).AsTask().WaitAsync(Bound);
            await WaitForReceivedAsync(uploads, receivedBefore, 1_200_000);
            socket.LingerState = new LingerOption(true, 0); // a reset, as when Wi-Fi drops
        }

        var offset = await OffsetAsync(_http, url);
        Assert.Equal(1_200_000, offset);
        await SendAsync(_http, url, bytes, from: offset, chunk: 500_000);
        Assert.Equal(Sha256(bytes), (await FileOfAsync(_server, entry.Id)).FileSha256);
        // Nothing was received twice: every byte the server read before the cut was kept.
        Assert.Equal(bytes.Length, uploads.BytesReceived - receivedBefore);
    }

    /// <summary>A PATCH whose client vanished without closing (the server still waits for its bytes) does not block
    /// the upload: the client's next request takes the upload over at once, keeping what the stuck one received.</summary>
    [Fact]
    public async Task Patch_StuckWithAVanishedClient_IsTakenOverByTheNextRequest()
    {
        var entry = await SubmitAsync(_server);
        var bytes = VideoBytes(200_000);
        var url = await CreatedAsync(_http, bytes.Length, entry.Secret);
        var uploads = _server.Services.GetRequiredService<EntryUploads>();
        var (cutBefore, receivedBefore) = (uploads.PatchesCut, uploads.BytesReceived);

        using var stuck = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await stuck.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port).WaitAsync(Bound);
        var head = $"PATCH {url} HTTP/1.1\r\nHost: {_server.BaseAddress.Authority}\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n" +
            $"Content-Type: application/offset+octet-stream\r\nContent-Length: {bytes.Length}\r\n\r\n";
        await stuck.SendAsync(Encoding.ASCII.GetBytes(head)).WaitAsync(Bound);
        await stuck.SendAsync(bytes.AsMemory(0, 50_000)).AsTask().WaitAsync(Bound);
        await WaitForReceivedAsync(uploads, receivedBefore, 50_000); // so that the stuck request holds the upload

        // Well within the 10 s a request waits for a busy upload (after which it would be a 423).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var offset = await OffsetAsync(_http, url);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"HEAD took {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(50_000, offset);
        Assert.Equal(cutBefore + 1, uploads.PatchesCut);

        await SendAsync(_http, url, bytes, from: offset, chunk: 100_000);
        Assert.Equal(Sha256(bytes), (await FileOfAsync(_server, entry.Id)).FileSha256);
    }

    [Fact]
    public async Task Upload_TakesItsIdOnly_AClientsFileNameNeverBecomesAPath()
    {
        var entry = await SubmitAsync(_server);
        var bytes = VideoBytes(3000);
        var response = await CreateAsync(_http, bytes.Length, entry.Secret, "../../../etc/passwd");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await SendAsync(_http, response.Headers.Location!.ToString(), bytes);
        var file = await FileOfAsync(_server, entry.Id);
        Assert.Equal("../../../etc/passwd", file.FileName);
        Assert.Matches($"^entries/{entry.Id}/[0-9a-f]{{32}}\\.mp4$", file.FilePath);
    }
}
