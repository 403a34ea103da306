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
    public async Task Patch_AfterTheDeadline_IsRefused_TheFileMustBeCompleteByThen()
    {
        var entry = await SubmitAsync(_server);
        await SetDeadlineAsync(Start.AddHours(1));
        var bytes = VideoBytes(20_000);
        var url = await CreatedAsync(_http, bytes.Length, entry.Secret);
        var created = await _http.SendAsync(Request(HttpMethod.Head, url)).WaitAsync(Bound);
        // An upload never outlives the deadline.
        Assert.Equal(Start.AddHours(1), DateTimeOffset.Parse(created.Headers.GetValues("Upload-Expires").Single()));
        await PatchAsync(_http, url, 0, bytes.AsMemory(0, 10_000));

        _clock.Advance(TimeSpan.FromHours(1));
        var refused = await PatchAsync(_http, url, 10_000, bytes.AsMemory(10_000));
        Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Gone, await Describe(refused));
        Assert.Null((await FileOfAsync(_server, entry.Id)).FilePath);
    }

    [Fact]
    public async Task AbandonedUpload_Expires24HoursAfterItsLastBytes_Is410_AndCleanupDeletesItsBytes()
    {
        var entry = await SubmitAsync(_server);
        var bytes = VideoBytes(20_000);
        var url = await CreatedAsync(_http, bytes.Length, entry.Secret);
        _clock.Advance(TimeSpan.FromHours(20));
        var patch = await PatchAsync(_http, url, 0, bytes.AsMemory(0, 10_000));
        Assert.Equal(Start.AddHours(44), DateTimeOffset.Parse(patch.Headers.GetValues("Upload-Expires").Single())); // a PATCH extends it

        var uploads = _server.Services.GetRequiredService<EntryUploads>();
        _clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal((0, 0), await uploads.DeleteExpiredAsync(CancellationToken.None));
        Assert.Equal(10_000, await OffsetAsync(_http, url));

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Gone, (await _http.SendAsync(Request(HttpMethod.Head, url)).WaitAsync(Bound)).StatusCode);
        var gone = await PatchAsync(_http, url, 10_000, bytes.AsMemory(10_000));
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Equal("upload-expired", (await ProblemAsync(gone)).GetProperty("reason").GetString());

        // A stray file (a crash between deleting a row and its file) goes too; an upload still alive stays.
        var alive = await CreatedAsync(_http, 5000, (await SubmitAsync(_server, "Another")).Secret);
        var stray = Path.Combine(uploads.PartsDirectory, new string('a', 32) + ".part");
        await File.WriteAllBytesAsync(stray, [1, 2, 3]);
        Assert.Equal((1, 1), await uploads.DeleteExpiredAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.SendAsync(Request(HttpMethod.Head, url)).WaitAsync(Bound)).StatusCode);
        Assert.Equal([Path.Combine(uploads.PartsDirectory, alive[(alive.LastIndexOf('/') + 1)..] + ".part")], Directory.GetFiles(uploads.PartsDirectory));
        Assert.Equal(1, await QueryAsync<long>(_server, "SELECT count(*) FROM uploads"));
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
