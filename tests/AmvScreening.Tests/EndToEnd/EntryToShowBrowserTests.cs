using System.Security.Cryptography;
using System.Text.Json;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Uploads;
using AmvScreening.Tests.Entries;
using AmvScreening.Tests.Judging;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using AmvScreening.Tests.Uploads;
using AmvScreening.Tests.Web;
using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.EndToEnd;

/// <summary>
/// The weeks before the show in one run, through the real pages in Chromium against the real server, its real upload,
/// its real checks queue (ffmpeg) and its real judging (docs/entries.md): entrants submit on /enter and upload on their
/// private entry page, one through a connection that drops mid-upload; each reads their file's check on their page as
/// the queue writes it; two judges score blind; the coordinator selects and promotes; the show's finalists are the
/// uploaded files. The refusals of the form (a fourth entry, a second in a category, after the deadline) are covered
/// through the page by EntryPortalBrowserTests and not repeated here.
/// </summary>
public sealed class EntryToShowBrowserTests(Browser browser, ITestOutputHelper output) : IClassFixture<Browser>
{
    /// <summary>upload.js's chunk: what a cut may cost at most.</summary>
    private const int Chunk = 8 * 1024 * 1024;

    /// <summary>How long a check may take on a loaded machine (it takes about a second here).</summary>
    private const float CheckBoundMs = 120_000;

    private static readonly string[] Hidden = ["Kitsune Edits", "Mega Vult", "example.org"];

    [Fact]
    public async Task EntrantsUploadThroughTheirPages_OneThroughACutConnection_ReadTheirChecks_JudgesScoreBlind_AndThePromotedFinalistsAreTheUploadedFiles()
    {
        // On the system's clock: the checks queue polls on it.
        await using var rig = await EntryPortalRig.StartAsync(new Dictionary<string, string?> { ["Amv:Checks:PollInterval"] = "00:00:00.100" }, systemClock: true);
        await rig.ExecuteAsync("UPDATE contest SET max_duration_seconds = 10, blind_judging = 1");
        await using var proxy = new CuttingProxy(rig.Server.BaseAddress);
        var uploads = rig.Server.Services.GetRequiredService<EntryUploads>();

        // The entrants' files, in a folder of the test server's data folder so that they go with it. The first is noisy
        // enough to take three chunks in 3 seconds; the second runs 12 s, over the contest's 10 s; then its shorter cut.
        var folder = Directory.CreateDirectory(Path.Combine(rig.Server.DataDirectory, "entrants")).FullName;
        var big = Path.Combine(folder, "sakura drive.mp4");
        var overLong = Path.Combine(folder, "night signal.mp4");
        var shorter = Path.Combine(folder, "night signal (short cut).mp4");
        await Task.WhenAll(
            ClipAsync(big, seconds: 3, noise: true),
            ClipAsync(overLong, seconds: 12, noise: false),
            ClipAsync(shorter, seconds: 3, noise: false));
        var bigBytes = new FileInfo(big).Length;
        Assert.InRange(bigBytes, 2 * Chunk + 1, 6 * Chunk); // several chunks, the cut in the second

        // The first entrant: the form, the private page through the page's own link, the upload through a cut.
        var ann = await EntrantAsync(proxy.BaseAddress);
        await SubmitAsync(ann.Page, "ann.lee@example.org", "Drama/Sentiments", "Sakura Drive", "Kitsune Edits");
        await ann.Page.EvaluateAsync("() => { window.notReloaded = true; }");
        await ann.Page.Locator("#upload-file").SetInputFilesAsync(big);
        proxy.CutAt(proxy.Forwarded + Chunk + Chunk / 2 + 12_345, hold: true); // in the second chunk; the network stays down
        await ann.Page.Locator("#upload-button").ClickAsync();
        await proxy.Cut.Task.WaitAsync(Browser.Bound);
        // While the network is down the page keeps its progress, says so, and tries again by itself.
        await Expect(ann.Page.Locator("#upload-progress")).ToBeVisibleAsync();
        await Expect(ann.Page.Locator("#upload-status")).ToContainTextAsync("The connection was lost: the upload goes on by itself");
        await Expect(ann.Page.Locator("#upload-button")).ToBeDisabledAsync();
        await VoterPageChecks.AssertAccessibleAsync(ann.Page, "entry page, uploading while the network is down");
        proxy.Release();

        // The check's result comes to the page by itself: no reload.
        await Expect(ann.Page.Locator("#check-state")).ToHaveAttributeAsync("data-state", "passed", new() { Timeout = CheckBoundMs });
        await Expect(ann.Page.Locator("#check-state")).ToHaveTextAsync("Your file meets the rules.");
        await Expect(ann.Page.Locator("#check-measured")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"it runs \d+:\d\d, loudness -?\d+\.\d LUFS"));
        await Expect(ann.Page.Locator("#file-name")).ToContainTextAsync("sakura drive.mp4");
        Assert.True(await ann.Page.EvaluateAsync<bool>("() => window.notReloaded === true"), "The entry page was reloaded.");
        await VoterPageChecks.AssertAccessibleAsync(ann.Page, "entry page, check passed");

        // One upload, continued from the server's offset: the bytes received beyond the file's own are at most one chunk.
        var twice = uploads.BytesReceived - bigBytes;
        Assert.InRange(twice, 0, Chunk);
        Assert.Equal(1, await rig.ScalarAsync<int>("SELECT count(*) FROM uploads"));
        var annRow = await SubmissionAsync(rig, "Sakura Drive");
        Assert.Equal(Sha256(big), annRow.FileSha256);
        using (var report = JsonDocument.Parse(annRow.CheckReport))
        {
            var lufs = report.RootElement.GetProperty("loudness").GetProperty("integratedLufs").GetDouble();
            Assert.InRange(lufs, -40, -5); // ffmpeg's sine measures about -22 LUFS
            Assert.InRange(report.RootElement.GetProperty("durationSeconds").GetDouble(), 2.9, 3.2);
        }

        // The second entrant: a cut over the contest's length limit, refused by the check with the limit named; then a
        // shorter cut replaces it before the deadline.
        var bo = await EntrantAsync(proxy.BaseAddress);
        await SubmitAsync(bo.Page, "mega.vult@example.org", "Upbeat/Fun", "Night Signal", "Mega Vult");
        await bo.Page.Locator("#upload-file").SetInputFilesAsync(overLong);
        await bo.Page.Locator("#upload-button").ClickAsync();
        await Expect(bo.Page.Locator("#check-state")).ToHaveAttributeAsync("data-state", "failed", new() { Timeout = CheckBoundMs });
        await Expect(bo.Page.Locator("#check-message")).ToHaveTextAsync("0:12 is over the 0:10 limit: upload a shorter cut before the deadline.");
        await bo.Page.Locator("#upload-file").SetInputFilesAsync(shorter);
        await bo.Page.GetByRole(AriaRole.Button, new() { Name = "Replace the file" }).ClickAsync();
        await Expect(bo.Page.Locator("#check-state")).ToHaveAttributeAsync("data-state", "passed", new() { Timeout = CheckBoundMs });
        await Expect(bo.Page.Locator("#check-message")).ToHaveCountAsync(0);
        var boRow = await SubmissionAsync(rig, "Night Signal");
        Assert.Equal(Sha256(shorter), boRow.FileSha256);

        // Two judges, blind judging on, score the entries that passed in their panels.
        var coordinator = await browser.NewLaptopAsync(rig.Server.BaseAddress);
        var errors = ConsoleSupport.CollectErrors(coordinator);
        await ConsoleSupport.SignInAsync(coordinator, then: "/console/judging");
        await Expect(coordinator.Locator("#judges")).ToHaveAttributeAsync("data-ready", "true");
        string[] both = ["Upbeat/Fun", "Drama/Sentiments"];
        var aiko = await JudgingPages.TakeInviteAsync(browser, rig.Server.BaseAddress, await JudgingPages.AddJudgeAsync(coordinator, "Aiko", both), 2, "from 1 to 10");
        var bram = await JudgingPages.TakeInviteAsync(browser, rig.Server.BaseAddress, await JudgingPages.AddJudgeAsync(coordinator, "Bram", both), 2, "from 1 to 10");
        await Expect(aiko.Page.Locator("article[data-entry]")).ToHaveCountAsync(2);
        await JudgingPages.ScoreAsync(aiko.Page, (int)annRow.Id, 9, "Tight sync", null);
        await JudgingPages.ScoreAsync(aiko.Page, (int)boRow.Id, 6, null, null);
        await JudgingPages.ScoreAsync(bram.Page, (int)annRow.Id, 8, null, null);
        await JudgingPages.ScoreAsync(bram.Page, (int)boRow.Id, 7, null, null);
        foreach (var judge in new[] { aiko, bram })
        {
            JudgingPages.AssertHides(await judge.Page.ContentAsync(), judge.Name, Hidden);
            JudgingPages.AssertHides(string.Join("\n", judge.Requests), $"{judge.Name}'s requests", Hidden);
        }

        // The coordinator selects both and promotes them.
        await coordinator.GotoAsync("/console/selection");
        await Expect(coordinator.Locator("#categories")).ToHaveAttributeAsync("data-ready", "true");
        await Expect(coordinator.Locator($"tr[data-entry=\"{annRow.Id}\"] td").Nth(2)).ToHaveTextAsync("8.5");
        await JudgingPages.SetOutcomeAsync(coordinator, (int)annRow.Id, "finalist");
        await JudgingPages.SetOutcomeAsync(coordinator, (int)boRow.Id, "finalist");
        coordinator.Dialog += (_, dialog) => dialog.AcceptAsync();
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Promote the finalists to the show" }).ClickAsync();
        await Expect(coordinator.Locator("#message")).ToContainTextAsync("2 finalists are in the show");

        // The show's finalists are the uploaded files: the same bytes the entrants chose, in the media folder.
        var media = rig.Server.Services.GetRequiredService<IOptions<AmvOptions>>().Value.MediaRootPath;
        await using var db = await JudgingRig.OpenAsync(rig.Server);
        var promoted = (await db.QueryAsync<(string Title, string VideoPath)>(
            "SELECT s.title, e.video_path FROM submissions s JOIN entries e ON e.id = s.promoted_entry_id ORDER BY s.title")).ToList();
        Assert.Equal(["Night Signal", "Sakura Drive"], promoted.Select(p => p.Title));
        Assert.Equal(2, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM entries"));
        Assert.Equal(Sha256(shorter), Sha256(Path.Combine(media, promoted[0].VideoPath)));
        Assert.Equal(Sha256(big), Sha256(Path.Combine(media, promoted[1].VideoPath)));

        // The first entrant's page, open since before the promotion, still offers a replacement: the server refuses it,
        // the page says why, and the show keeps its file.
        await ann.Page.Locator("#upload-file").SetInputFilesAsync(shorter);
        await ann.Page.GetByRole(AriaRole.Button, new() { Name = "Replace the file" }).ClickAsync();
        await Expect(ann.Page.Locator("#upload-status")).ToContainTextAsync("This entry is a finalist in the show already: its file can no longer be replaced.");
        Assert.Equal(Sha256(big), (await SubmissionAsync(rig, "Sakura Drive")).FileSha256);
        Assert.Equal(Sha256(big), Sha256(Path.Combine(media, promoted[1].VideoPath)));
        lock (ann.Errors)
        {
            ann.Errors.RemoveAll(e => e.Contains("status of 403", StringComparison.Ordinal)); // the refusal just asked for
        }

        // Once the coordinator publishes the outcomes, the entrant reads theirs; the page offers no upload any more.
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Publish outcomes" }).ClickAsync();
        await Expect(coordinator.GetByRole(AriaRole.Button, new() { Name = "Take outcomes back" })).ToBeVisibleAsync();
        await ann.Page.ReloadAsync();
        await Expect(ann.Page.Locator("#outcome")).ToHaveAttributeAsync("data-outcome", "finalist");
        await Expect(ann.Page.Locator("#outcome")).ToContainTextAsync("your AMV is a finalist");
        await Expect(ann.Page.Locator("#upload-button")).ToHaveCountAsync(0);

        ConsoleSupport.AssertNoErrors(ann.Errors, bo.Errors, errors, aiko.Errors, bram.Errors);
        output.WriteLine($"{bigBytes:N0} bytes uploaded through a cut; {twice:N0} received twice; 2 entries checked, scored blind, promoted.");
    }

    private sealed record Entrant(IPage Page, List<string> Errors);

    private sealed record Submission(long Id, string FileSha256, string CheckReport);

    /// <summary>An entrant's phone browser on the proxy's origin (so its requests go through the proxy), its script errors
    /// collected (but not the failed requests of the cut connection, which the upload is meant to survive).</summary>
    private async Task<Entrant> EntrantAsync(Uri baseAddress)
    {
        var page = await browser.NewPhoneAsync(baseAddress);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("net::ERR_", StringComparison.Ordinal))
            {
                lock (errors) { errors.Add($"{page.Url}: {message.Text}"); }
            }
        };
        page.PageError += (_, error) => { lock (errors) { errors.Add($"{page.Url}: {error}"); } };
        return new Entrant(page, errors);
    }

    /// <summary>Fills and sends the form on /enter, then follows the page's link to the private entry page.</summary>
    private static async Task SubmitAsync(IPage page, string email, string category, string title, string editor)
    {
        await page.GotoAsync("/enter");
        await EntryPortalBrowserTests.FillAsync(page, email, category, title, editor);
        await page.Locator("#entry-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#submitted-h")).ToHaveTextAsync("Your entry is in");
        await page.Locator("#go-upload").ClickAsync();
        await Expect(page.Locator("#entry-title")).ToHaveTextAsync(title);
        await Expect(page.Locator("#check-state")).ToHaveAttributeAsync("data-state", "none");
    }

    private static async Task<Submission> SubmissionAsync(EntryPortalRig rig, string title)
    {
        await using var db = await JudgingRig.OpenAsync(rig.Server);
        return await db.QuerySingleAsync<Submission>(
            "SELECT id AS Id, file_sha256 AS FileSha256, check_report AS CheckReport FROM submissions WHERE title = @title", new { title });
    }

    /// <summary>An H.264/AAC MP4 of testsrc2 with a 440 Hz tone; with <paramref name="noise"/>, grain on every frame and
    /// a fine quantiser, so that a few seconds take megabytes (about 8 MB a second).</summary>
    private static Task ClipAsync(string path, int seconds, bool noise) => TestMedia.FfmpegAsync(
    [
        "-f", "lavfi", "-i", $"testsrc2=size=640x360:rate=25:d={seconds}{(noise ? ",noise=alls=60:allf=t" : "")}",
        "-f", "lavfi", "-i", $"sine=frequency=440:d={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", .. noise ? (string[])["-qp", "12"] : [],
        "-c:a", "aac", "-movflags", "+faststart", path,
    ]);

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
