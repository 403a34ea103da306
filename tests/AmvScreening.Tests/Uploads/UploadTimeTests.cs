using System.Net;
using AmvScreening.Server.Uploads;
using AmvScreening.Tests.Support;
using static AmvScreening.Tests.Uploads.TusTesting;

namespace AmvScreening.Tests.Uploads;

/// <summary>The entry deadline and the expiry of abandoned uploads, on a server whose clock the test moves.</summary>
public sealed class UploadTimeTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(Start);
    private readonly AmvServer _server;
    private readonly HttpClient _http;

    public UploadTimeTests()
    {
        _server = new AmvServer(clock: _clock);
        _http = _server.CreateAnonymousClient();
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
    }

    private Task SetDeadlineAsync(DateTimeOffset deadline) =>
        ExecuteAsync(_server, "UPDATE contest SET entry_deadline = @deadline WHERE id = 1", new { deadline = deadline.UtcDateTime.ToString("O") });

    [Fact]
    public async Task Creation_AtOrAfterTheDeadline_Is403NamingTheDeadline()
    {
        var entry = await SubmitAsync(_server);
        await SetDeadlineAsync(Start.AddMinutes(10));
        await CreatedAsync(_http, 1000, entry.Secret);

        _clock.Advance(TimeSpan.FromMinutes(10));
        var refused = await CreateAsync(_http, 1000, entry.Secret);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await ProblemAsync(refused);
        Assert.Equal("deadline-passed", problem.GetProperty("reason").GetString());
        Assert.Contains("2026-08-01 12:10 UTC", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Patch_AfterTheDeadline_Is403_TheFileMustBeCompleteByThen()
    {
        var entry = await SubmitAsync(_server);
        await SetDeadlineAsync(Start.AddHours(1));
        var bytes = VideoBytes(20_000);
        var url = await CreatedAsync(_http, bytes.Length, entry.Secret);
        await PatchAsync(_http, url, 0, bytes.AsMemory(0, 10_000));

        _clock.Advance(TimeSpan.FromHours(1));
        var refused = await PatchAsync(_http, url, 10_000, bytes.AsMemory(10_000));
        Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, await Describe(refused));
        Assert.Equal("deadline-passed", (await ProblemAsync(refused)).GetProperty("reason").GetString());
        Assert.Null((await FileOfAsync(_server, entry.Id)).FilePath);
    }

    [Fact]
    public async Task AbandonedUpload_IsDeletedByTheCleanup24HoursAfterItsLastBytes()
    {
        var entry = await SubmitAsync(_server);
        var bytes = VideoBytes(20_000);
        var url = await CreatedAsync(_http, bytes.Length, entry.Secret);
        var uploads = _server.Services.GetRequiredService<EntryUploads>();
        var cleanup = _server.Services.GetRequiredService<UploadCleanup>();
        var part = Path.Combine(uploads.PartsDirectory, url[(url.LastIndexOf('/') + 1)..] + ".part");
        _clock.Advance(TimeSpan.FromHours(20));
        var patch = await PatchAsync(_http, url, 0, bytes.AsMemory(0, 10_000));
        Assert.Equal(Start.AddHours(44), DateTimeOffset.Parse(patch.Headers.GetValues("Upload-Expires").Single())); // a PATCH extends it

        var sweep = cleanup.NextSweepAsync();
        _clock.Advance(TimeSpan.FromHours(23));
        await sweep.WaitAsync(Bound);
        Assert.Equal(10_000, await OffsetAsync(_http, url));
        Assert.True(File.Exists(part));

        sweep = cleanup.NextSweepAsync();
        _clock.Advance(TimeSpan.FromHours(1));
        await sweep.WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.SendAsync(Request(HttpMethod.Head, url)).WaitAsync(Bound)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(_http, url, 10_000, bytes.AsMemory(10_000))).StatusCode);
        Assert.False(File.Exists(part));
        Assert.Equal(0, await QueryAsync<long>(_server, "SELECT count(*) FROM uploads"));

        // A stray file (a crash between deleting a row and its file) goes too; an upload still alive stays.
        var alive = await CreatedAsync(_http, 5000, (await SubmitAsync(_server, "Another")).Secret);
        var stray = Path.Combine(uploads.PartsDirectory, new string('a', 32) + ".part");
        await File.WriteAllBytesAsync(stray, [1, 2, 3]);
        Assert.Equal((0, 1), await uploads.DeleteExpiredAsync(CancellationToken.None));
        Assert.Equal([Path.Combine(uploads.PartsDirectory, alive[(alive.LastIndexOf('/') + 1)..] + ".part")], Directory.GetFiles(uploads.PartsDirectory));
    }

    [Fact]
    public async Task ExpiredUpload_NotYetSwept_Is410_ForHeadAndPatch()
    {
        var entry = await SubmitAsync(_server);
        var url = await CreatedAsync(_http, 5000, entry.Secret);
        await ExecuteAsync(_server, "UPDATE uploads SET expires_at = @past", new { past = Start.AddSeconds(-1).UtcDateTime.ToString("O") });
        Assert.Equal(HttpStatusCode.Gone, (await _http.SendAsync(Request(HttpMethod.Head, url)).WaitAsync(Bound)).StatusCode);
        var patch = await PatchAsync(_http, url, 0, VideoBytes(5000));
        Assert.Equal(HttpStatusCode.Gone, patch.StatusCode);
        Assert.Equal("upload-expired", (await ProblemAsync(patch)).GetProperty("reason").GetString());
        Assert.Equal(0, new FileInfo(Path.Combine(_server.DataDirectory, "uploads", url[(url.LastIndexOf('/') + 1)..] + ".part")).Length);
    }

    [Fact]
    public async Task Cleanup_RunsByItselfEveryTenMinutes()
    {
        var entry = await SubmitAsync(_server);
        var url = await CreatedAsync(_http, 5000, entry.Secret);
        var cleanup = _server.Services.GetRequiredService<UploadCleanup>();

        var sweep = cleanup.NextSweepAsync();
        _clock.Advance(EntryUploads.Lifetime - TimeSpan.FromMinutes(1));
        await sweep.WaitAsync(Bound);
        Assert.Equal(1, await QueryAsync<long>(_server, "SELECT count(*) FROM uploads"));

        sweep = cleanup.NextSweepAsync();
        _clock.Advance(UploadCleanup.Every);
        await sweep.WaitAsync(Bound);
        Assert.Equal(0, await QueryAsync<long>(_server, "SELECT count(*) FROM uploads"));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.SendAsync(Request(HttpMethod.Head, url)).WaitAsync(Bound)).StatusCode);
    }
}
