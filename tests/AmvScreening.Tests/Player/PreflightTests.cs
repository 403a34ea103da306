using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Player.Preflight;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using AmvScreening.Protocol.Media;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace AmvScreening.Tests.Player;

/// <summary>A media folder with one file of each kind the pre-flight check must tell apart, and contest files naming
/// them. Made once for the pre-flight tests.</summary>
public sealed class PreflightMedia : IAsyncLifetime
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("amv-preflight-").FullName;

    public async Task InitializeAsync()
    {
        async Task Copy(Task<string> made, string name) => File.Copy(await made, Path.Combine(Folder, name));
        Directory.CreateDirectory(Path.Combine(Folder, "intensity"));
        Directory.CreateDirectory(Path.Combine(Folder, "drama"));
        await Copy(TestMedia.ClipAsync(seconds: 2, size: "1280x720"), "intensity/01-good.mp4");
        await Copy(TestMedia.ClipAsync(seconds: 5, size: "1280x720"), "intensity/02-too-long.mp4");
        await Copy(TestMedia.ClipAsync(seconds: 2, audio: false, size: "1280x720"), "intensity/03-silent.mp4");
        await Copy(TestMedia.CorruptAsync(), "intensity/04-corrupt.mp4");
        await Copy(TestMedia.ClipAsync(seconds: 2), "drama/01-small.mp4");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A JSON contest file (docs/import-formats.md) with these finalists, in the media folder.</summary>
    public string ContestFile(string name, int maxDurationSeconds, params object[] finalists)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            contest = new { name = "Kumoricon 2024 AMV Contest", year = 2024, limits = new { maxFileMegabytes = 330, maxDurationSeconds } },
            categories = new[] { "Intensity", "Drama/Sentiments" },
            finalists,
        }));
        return path;
    }

    public static object Finalist(string category, int order, string title, string? file, bool disqualified = false) => new
    {
        category, order, title, editors = new[] { "Someone" }, musicArtist = "Artist", musicTitle = "Song", file, disqualified,
    };

    /// <summary>Good, too long (5 s against 3 s), silent, corrupt, missing, no file, and a small (640×360) one; a
    /// disqualified finalist is not checked.</summary>
    public string EveryKind() => ContestFile("every-kind.json", 3,
        Finalist("Drama/Sentiments", 1, "Small Picture", "drama/01-small.mp4"),
        Finalist("Intensity", 4, "Broken Export", "intensity/04-corrupt.mp4"),
        Finalist("Intensity", 1, "全集中 (Total Concentration)", "intensity/01-good.mp4"),
        Finalist("Intensity", 2, "Director's Cut", "intensity/02-too-long.mp4"),
        Finalist("Intensity", 3, "Sound Of Silence", "intensity/03-silent.mp4"),
        Finalist("Intensity", 5, "Lost In Transit", "intensity/05-missing.mp4"),
        Finalist("Intensity", 6, "Forgot The File", null),
        Finalist("Intensity", 7, "Disqualified", "intensity/07-gone.mp4", disqualified: true));

    /// <summary>Only files that will play: a good one and a small one (a warning).</summary>
    public string AllPlayable() => ContestFile("all-playable.json", 3,
        Finalist("Intensity", 1, "全集中 (Total Concentration)", "intensity/01-good.mp4"),
        Finalist("Drama/Sentiments", 1, "Small Picture", Path.Combine(Folder, "drama/01-small.mp4")));
}

/// <summary>
/// The pre-flight command on real files with the real (headless) libvlc: each kind of file gets its status and
/// message, the JSON report is written, the report reaches the server, and the exit code says whether the show would
/// fail.
/// </summary>
[Collection(LibVlcCollection.Name)]
public sealed class PreflightTests(PreflightMedia media) : IClassFixture<PreflightMedia>, IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly string _out = Directory.CreateTempSubdirectory("amv-preflight-out-").FullName;
    private readonly StringWriter _output = new(), _error = new();

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private string JsonFile => Path.Combine(_out, "report.json");

    // Each test measures into its own cache, so none reads another's measurements (or the user's).
    private Task<int> RunAsync(params string[] args) =>
        PreflightCommand.RunAsync(args.Contains("--json") ? [.. args, "--cache", Path.Combine(_out, "cache.json")] : args, _output, _error)
            .WaitAsync(Bound);

    private JsonElement Report() => JsonDocument.Parse(File.ReadAllText(JsonFile)).RootElement;

    private static JsonElement Entry(JsonElement report, string title) =>
        report.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("title").GetString() == title);

    private static string[] Messages(JsonElement entry) =>
        entry.GetProperty("issues").EnumerateArray().Select(i => $"{i.GetProperty("severity").GetString()}: {i.GetProperty("message").GetString()}").ToArray();

    [Fact]
    public async Task EveryKindOfFile_GetsItsStatusAndMessage_AndTheExitCodeSaysTheShowWouldFail()
    {
        var exit = await RunAsync("--contest", media.EveryKind(), "--media", media.Folder, "--json", JsonFile);

        Assert.Equal(PreflightExitCodes.WouldFail, exit);
        var report = Report();
        var good = Entry(report, "全集中 (Total Concentration)");
        Assert.Equal("ok", good.GetProperty("status").GetString());
        Assert.Empty(Messages(good));
        Assert.InRange(good.GetProperty("durationSeconds").GetDouble(), 1.9, 2.1);
        Assert.Equal((1280, 720), (good.GetProperty("width").GetInt32(), good.GetProperty("height").GetInt32()));
        Assert.Equal(25, good.GetProperty("frameRate").GetDouble(), precision: 2);
        Assert.True(good.GetProperty("hasVideo").GetBoolean() && good.GetProperty("hasAudio").GetBoolean());
        Assert.Equal(new FileInfo(Path.Combine(media.Folder, "intensity/01-good.mp4")).Length, good.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(Path.Combine(media.Folder, "intensity/01-good.mp4"), good.GetProperty("file").GetString());

        var long_ = Entry(report, "Director's Cut");
        Assert.Equal("error", long_.GetProperty("status").GetString());
        Assert.Equal(["error: It runs 0:05.0; the contest's limit is 0:03.0."], Messages(long_));

        var silent = Entry(report, "Sound Of Silence");
        Assert.Equal("error", silent.GetProperty("status").GetString());
        Assert.Equal(["error: It has no audio track: a silent AMV is almost always a broken export. Check it with the editor."], Messages(silent));
        Assert.False(silent.GetProperty("hasAudio").GetBoolean());

        var corrupt = Entry(report, "Broken Export");
        Assert.Equal("error", corrupt.GetProperty("status").GetString());
        var corruptPath = Path.Combine(media.Folder, "intensity/04-corrupt.mp4");
        Assert.StartsWith("error: Cannot be played: libvlc ", Assert.Single(Messages(corrupt)));
        Assert.Contains(corruptPath, Assert.Single(Messages(corrupt)));

        var missing = Entry(report, "Lost In Transit");
        Assert.Equal(["error: File not found: " + Path.Combine(media.Folder, "intensity/05-missing.mp4")], Messages(missing));
        Assert.False(missing.TryGetProperty("sizeBytes", out _));

        Assert.Equal(["error: No video file is set for this finalist (the contest file's \"file\" is empty)."], Messages(Entry(report, "Forgot The File")));

        var small = Entry(report, "Small Picture");
        Assert.Equal("warning", small.GetProperty("status").GetString());
        Assert.Equal(["warning: 640×360 is below 720p: it will look soft on the projector."], Messages(small));

        // Show order (category, then order), the disqualified finalist left out, the totals.
        Assert.Equal(
            ["全集中 (Total Concentration)", "Director's Cut", "Sound Of Silence", "Broken Export", "Lost In Transit", "Forgot The File", "Small Picture"],
            report.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("title").GetString()));
        var summary = report.GetProperty("summary");
        Assert.Equal((7, 1, 1, 5), (summary.GetProperty("total").GetInt32(), summary.GetProperty("ok").GetInt32(),
            summary.GetProperty("warnings").GetInt32(), summary.GetProperty("errors").GetInt32()));
        Assert.Equal("Kumoricon 2024 AMV Contest", report.GetProperty("contestName").GetString());
        Assert.Equal(3, report.GetProperty("limits").GetProperty("maxDurationSeconds").GetInt32());

        // A line per file as it goes, then the table and the totals.
        var output = _output.ToString();
        Assert.Contains("[1/7] Intensity 1 · 全集中 (Total Concentration) — ok: 0:02.0, 1280×720, 25 fps, ", output);
        Assert.Contains("[2/7] Intensity 2 · Director's Cut — ERROR: It runs 0:05.0; the contest's limit is 0:03.0.", output);
        Assert.Contains("[7/7] Drama/Sentiments 1 · Small Picture — warning: 640×360 is below 720p", output);
        Assert.Contains("#  Category", output);
        Assert.Contains("7 checked: 1 ok, 1 with warnings, 5 with errors. Fix the errors before the show.", output);
        Assert.Contains($"Report: {JsonFile}", output);
        Assert.Contains("Not sent to a server (no --server).", output);
    }

    [Fact]
    public async Task OnlyPlayableFiles_ExitZero_WarningsIncluded()
    {
        var exit = await RunAsync("--contest", media.AllPlayable(), "--media", media.Folder, "--json", JsonFile);

        Assert.Equal(PreflightExitCodes.Ok, exit);
        Assert.Equal(["ok", "warning"], Report().GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
        Assert.Contains("2 checked: 1 ok, 1 with warnings, 0 with errors. Every finalist will play.", _output.ToString());
    }

    [Fact]
    public async Task Report_IsSentToTheServer_WhereCoordinatorsReadIt()
    {
        using var server = new AmvServer();
        var exit = await RunAsync("--contest", media.EveryKind(), "--media", media.Folder, "--json", JsonFile,
            "--server", server.BaseAddress.ToString(), "--api-key", AmvServer.PlayerApiKey);

        Assert.Equal(PreflightExitCodes.WouldFail, exit);
        Assert.Contains($"Sent to {server.BaseAddress}: coordinators see it at GET /api/preflight.", _output.ToString());
        using var coordinator = await server.CreateStaffClientAsync(Roles.Coordinator);
        var stored = await coordinator.GetFromJsonAsync<JsonElement>("/api/preflight");
        Assert.True((DateTimeOffset.UtcNow - stored.GetProperty("receivedAt").GetDateTimeOffset()).Duration() < TimeSpan.FromMinutes(1));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Report().GetRawText()), JsonNode.Parse(stored.GetProperty("report").GetRawText())),
            $"The server gave back another report:\n{stored.GetProperty("report")}");
    }

    [Fact]
    public async Task Playlist_AndLimits_ComeFromTheServer()
    {
        // The server's GET /api/player/show, in the shape the show sequencer's branch serves it (PlayerShow), and the
        // limits from GET /api/preflight/limits; a stand-in, since the playlist endpoint is added on another branch.
        await using var server = await StandInServer.StartAsync(maxDurationSeconds: 3);

        var exit = await RunAsync("--server", server.Address, "--api-key", "stand-in-key", "--media", media.Folder, "--json", JsonFile);

        Assert.Equal(PreflightExitCodes.WouldFail, exit);
        var report = Report();
        Assert.Equal("Kumoricon 2024 AMV Contest", report.GetProperty("contestName").GetString());
        Assert.Equal(-16, report.GetProperty("limits").GetProperty("loudnessTargetLufs").GetDouble());
        Assert.Equal(
            [(11, "Intensity", 1, "ok"), (12, "Intensity", 2, "error"), (21, "Drama/Sentiments", 1, "warning")],
            report.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("entryId").GetInt32(), e.GetProperty("category").GetString(),
                e.GetProperty("order").GetInt32(), e.GetProperty("status").GetString())));
        Assert.Equal(["stand-in-key", "stand-in-key", "stand-in-key"], server.ApiKeys);
        Assert.Equal(report.GetProperty("summary").GetRawText(), server.Posted!.Value.GetProperty("summary").GetRawText());
    }

    [Fact]
    public async Task ServerThatRefusesTheReport_ExitsFour_WithTheReportStillWritten()
    {
        await using var server = await StandInServer.StartAsync(maxDurationSeconds: 60, refusePost: true);

        var exit = await RunAsync("--contest", media.AllPlayable(), "--media", media.Folder, "--json", JsonFile,
            "--server", server.Address, "--api-key", "stand-in-key");

        Assert.Equal(PreflightExitCodes.ReportNotSent, exit);
        Assert.Contains("the server did not take the report: 500", _error.ToString());
        Assert.Equal(2, Report().GetProperty("summary").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task WrongApiKey_ExitsTwo_BeforeCheckingAnything()
    {
        using var server = new AmvServer();

        var exit = await RunAsync("--server", server.BaseAddress.ToString(), "--api-key", "not-the-key-0123456789", "--json", JsonFile);

        Assert.Equal(PreflightExitCodes.ApiKeyRefused, exit);
        Assert.Contains("refused the player's API key (401 on /api/player/show)", _error.ToString());
        Assert.False(File.Exists(JsonFile));
    }

    [Fact]
    public async Task UnreachableServer_OrUnreadableContestFile_ExitsThree()
    {
        Assert.Equal(PreflightExitCodes.CannotCheck, await RunAsync("--server", "http://127.0.0.1:9", "--api-key", "k", "--json", JsonFile));
        Assert.Contains("cannot be reached", _error.ToString());

        Assert.Equal(PreflightExitCodes.CannotCheck, await RunAsync("--contest", Path.Combine(_out, "nope.json"), "--json", JsonFile));
        var notContest = Path.Combine(_out, "not-a-contest.json");
        await File.WriteAllTextAsync(notContest, """{ "finalists": [] }""");
        Assert.Equal(PreflightExitCodes.CannotCheck, await RunAsync("--contest", notContest, "--json", JsonFile));
        Assert.Contains("is not a contest file (docs/import-formats.md): no \"contest\" object", _error.ToString());
    }

    [Theory]
    [InlineData("\"loud\"")]
    [InlineData("-80")]
    [InlineData("0")]
    [InlineData("-23.5")]
    [InlineData("-13")]
    [InlineData("null")]
    public async Task AContestFileWhoseLoudnessTargetIsNotOne_ExitsThree_NamingIt(string target)
    {
        var contest = Path.Combine(_out, "contest.json");
        await File.WriteAllTextAsync(contest, $$"""{ "contest": { "name": "C", "limits": { "loudnessTargetLufs": {{target}} } }, "categories": [], "finalists": [] }""");

        Assert.Equal(PreflightExitCodes.CannotCheck, await RunAsync("--contest", contest, "--json", JsonFile));
        Assert.Contains("contest.limits.loudnessTargetLufs must be a whole number of LUFS from -31 to -14", _error.ToString());
    }

    [Theory]
    [InlineData("no source", new string[0], "give --server URL")]
    [InlineData("no key", new[] { "--server", "http://127.0.0.1:5000" }, "API key is missing")]
    [InlineData("bad URL", new[] { "--server", "ftp://x", "--api-key", "k" }, "is not an http:// or https:// URL")]
    [InlineData("unknown option", new[] { "--contest", "c.json", "--fast" }, "unknown option '--fast'")]
    [InlineData("no value", new[] { "--contest" }, "--contest needs a value")]
    [InlineData("no media folder", new[] { "--contest", "c.json", "--media", "/no/such/folder" }, "does not exist")]
    public async Task WrongOptions_Exit64_SayingWhatIsWrong(string _, string[] args, string message)
    {
        var key = Environment.GetEnvironmentVariable(PreflightCommand.ApiKeyVariable);
        Assert.True(string.IsNullOrEmpty(key), $"{PreflightCommand.ApiKeyVariable} is set in the test environment");

        Assert.Equal(PreflightExitCodes.Usage, await RunAsync(args));
        Assert.Contains(message, _error.ToString());
        Assert.Contains("Usage: preflight", _error.ToString());
    }

    /// <summary>What the server side of the check looks like: the playlist, the limits, the report's destination.</summary>
    private sealed class StandInServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private StandInServer(WebApplication app) => _app = app;

        public string Address { get; private set; } = "";

        public List<string> ApiKeys { get; } = [];

        public JsonElement? Posted { get; private set; }

        public static async Task<StandInServer> StartAsync(int maxDurationSeconds, bool refusePost = false)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var server = new StandInServer(app);
            app.Use(async (context, next) =>
            {
                lock (server.ApiKeys)
                {
                    server.ApiKeys.Add(context.Request.Headers["X-Api-Key"].ToString());
                }

                await next(context);
            });
            app.MapGet("/api/player/show", () => TypedResults.Json(new
            {
                contestName = "Kumoricon 2024 AMV Contest",
                room = new { code = "K7QX", joinUrl = "http://192.168.1.10:5000/v/K7QX" },
                categories = new object[]
                {
                    new { id = 1, name = "Intensity", entries = new[] { Playlisted(11, 1, "Intensity", "Total Concentration", "intensity/01-good.mp4"),
                        Playlisted(12, 1, "Intensity", "Director's Cut", "intensity/02-too-long.mp4") } },
                    new { id = 2, name = "Drama/Sentiments", entries = new[] { Playlisted(21, 2, "Drama/Sentiments", "Small Picture", "drama/01-small.mp4") } },
                },
            }));
            app.MapGet("/api/preflight/limits", () => TypedResults.Json(new { maxFileMegabytes = 330, maxDurationSeconds, loudnessTargetLufs = -16.0 }));
            app.MapPost("/api/preflight", IResult (JsonElement report) =>
            {
                server.Posted = report.Clone();
                return refusePost ? (IResult)TypedResults.StatusCode(500) : TypedResults.NoContent();
            });
            await app.StartAsync();
            server.Address = app.Urls.First();
            return server;
        }

        private static object Playlisted(int id, int categoryId, string category, string title, string videoPath) => new
        {
            entry = new
            {
                id, categoryId, category, title, editors = new[] { "Someone" }, musicArtist = "Artist", musicTitle = "Song",
                sources = Array.Empty<string>(), contentNote = (string?)null,
            },
            videoPath,
        };

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}

/// <summary>The pre-flight rules one by one, on a fake engine that reports whatever a test needs.</summary>
[Trait("Kind", "Unit")]
public sealed class PreflightCheckerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("amv-preflight-rules-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<PreflightEntry> CheckAsync(MediaProbe probe, long bytes = 1000, PreflightLimits? limits = null)
    {
        var file = Path.Combine(_folder, "finalist.mp4");
        await using (var stream = File.Create(file))
        {
            stream.SetLength(bytes);
        }

        var checker = new PreflightChecker(new ProbingEngine(probe), limits ?? new PreflightLimits(), _folder);
        return await checker.CheckAsync(new PreflightItem(1, "Intensity", 1, "Finalist", "finalist.mp4"));
    }

    private static MediaProbe Probe(double seconds = 200, int? width = 1920, int? height = 1080, double? fps = 24000 / 1001.0, bool audio = true) =>
        new(TimeSpan.FromSeconds(seconds), true, audio, width, height, fps, null);

    [Fact]
    public async Task UsualFile_IsOk()
    {
        var entry = await CheckAsync(Probe());

        Assert.Equal(PreflightStatus.Ok, entry.Status);
        Assert.Empty(entry.Issues);
        Assert.Equal(23.976, entry.FrameRate);
    }

    [Fact]
    public async Task FileOverTheSizeLimit_IsAnError_CountingMegabytesAsFileManagersDo()
    {
        var within = await CheckAsync(Probe(), bytes: 1024 * 1024, limits: new PreflightLimits(MaxFileMegabytes: 1));
        var over = await CheckAsync(Probe(), bytes: 2 * 1024 * 1024 + 1, limits: new PreflightLimits(MaxFileMegabytes: 1));

        Assert.Equal(PreflightStatus.Ok, within.Status);
        Assert.Equal(PreflightStatus.Error, over.Status);
        Assert.Equal("The file is 2.0 MB; the contest's limit is 1 MB.", Assert.Single(over.Issues).Message);
    }

    [Theory]
    [InlineData(3840, 2160, 60.0, null)]
    [InlineData(1440, 1080, 29.97, null)]
    [InlineData(1280, 720, 50.0, null)]
    [InlineData(854, 480, 23.976, "854×480 is below 720p: it will look soft on the projector.")]
    [InlineData(7680, 4320, 24.0, "7680×4320 is larger than 4K: this machine may drop frames decoding it.")]
    [InlineData(1920, 800, 24.0, "1920×800 is neither 16:9 nor 4:3: it will be shown with black bars.")]
    [InlineData(1920, 1080, 17.5, "17.5 fps is an unusual frame rate (variable frame rate export?): watch it for stutter.")]
    public async Task UnusualPicture_IsAWarning(int width, int height, double fps, string? warning)
    {
        var entry = await CheckAsync(Probe(width: width, height: height, fps: fps));

        Assert.Equal(warning is null ? PreflightStatus.Ok : PreflightStatus.Warning, entry.Status);
        Assert.Equal(warning is null ? [] : [warning], entry.Issues.Select(i => i.Message));
    }

    [Fact]
    public async Task UnknownDurationSizeAndFrameRate_AreWarnings()
    {
        var entry = await CheckAsync(new MediaProbe(null, true, true, null, null, null, null));

        Assert.Equal(PreflightStatus.Warning, entry.Status);
        Assert.Equal(3, entry.Issues.Count);
        Assert.All(entry.Issues, i => Assert.Equal(PreflightStatus.Warning, i.Severity));
    }

    [Fact]
    public async Task AudioOnlyFile_IsAnError()
    {
        var entry = await CheckAsync(new MediaProbe(TimeSpan.FromSeconds(100), false, true, null, null, null, null));

        Assert.Equal(PreflightStatus.Error, entry.Status);
        Assert.Equal("It has no video track (audio only?).", Assert.Single(entry.Issues).Message);
    }

    [Fact]
    public async Task TooLongAndSilent_ReportsBoth()
    {
        var entry = await CheckAsync(Probe(seconds: 331.5, audio: false));

        Assert.Equal(["It runs 5:31.5; the contest's limit is 5:30.0.", "It has no audio track: a silent AMV is almost always a broken export. Check it with the editor."],
            entry.Issues.Select(i => i.Message));
    }

    [Fact]
    public void Table_PadsJapaneseTitlesByTheirWidthOnScreen()
    {
        Assert.Equal(8, DisplayText.Columns("全集中AB"));
        var report = new PreflightReport("C", DateTimeOffset.UtcNow, "m", "/", new PreflightLimits(), new PreflightSummary(2, 2, 0, 0),
        [
            new PreflightEntry(1, "Intensity", 1, "全集中", null, null, PreflightStatus.Ok, []),
            new PreflightEntry(2, "Intensity", 2, "ABCDEF", null, null, PreflightStatus.Ok, []),
        ]);
        var output = new StringWriter();

        PreflightCommand.WriteTable(output, report);

        var lines = output.ToString().Split('\n');
        var first = lines.Single(l => l.Contains("全集中"));
        var second = lines.Single(l => l.Contains("ABCDEF"));
        Assert.Equal(first.IndexOf("ok", StringComparison.Ordinal) + 3, second.IndexOf("ok", StringComparison.Ordinal)); // 3 wide characters take 6 columns
    }

    [Theory]
    [InlineData("Line\nBreak")]
    [InlineData("Tab\tIn\tTitle")]
    [InlineData("Carriage\r\nReturn")]
    [InlineData("Para\u2029Separator\u0007Bell")]
    [InlineData("\n\n")]
    public void ControlCharactersInTitles_NeverBreakTheTableOrTheProgressLines(string title)
    {
        var entries = new[]
        {
            new PreflightEntry(1, "Intensity\n", 1, title, null, null, PreflightStatus.Error, [new PreflightIssue(PreflightStatus.Error, "Broken.")]),
            new PreflightEntry(2, "Intensity", 2, "Plain", null, null, PreflightStatus.Ok, []),
        };
        var report = new PreflightReport("C", DateTimeOffset.UtcNow, "m", "/", new PreflightLimits(), new PreflightSummary(2, 1, 0, 1), entries);
        var output = new StringWriter();

        PreflightCommand.WriteTable(output, report);
        var line = PreflightChecker.Describe(entries[0]);

        var lines = output.ToString().TrimEnd().Split(Environment.NewLine);
        Assert.Equal(2 + 2 + 1 + 1 + 1 + 1, lines.Length); // header, rule, two rows, blank, one problem, blank, totals: nothing more
        Assert.All(lines, l => Assert.DoesNotContain(l, c => char.IsControl(c) || c is '\u2028' or '\u2029'));
        Assert.DoesNotContain(line, c => char.IsControl(c) || c is '\u2028' or '\u2029');
        Assert.Equal(lines[2].IndexOf("ERROR", StringComparison.Ordinal), lines[3].IndexOf("ok", StringComparison.Ordinal));
    }

    /// <summary>A file measured as <paramref name="analysis"/> (a 5:00 1080p file with sound when not given).</summary>
    private async Task<PreflightEntry> MeasuredAsync(MediaAnalysis? analysis = null, PreflightLimits? limits = null, IMediaAnalyzer? analyzer = null)
    {
        var file = Path.Combine(_folder, "finalist.mp4");
        await File.WriteAllBytesAsync(file, [1, 2, 3]);
        var checker = new PreflightChecker(new ProbingEngine(Probe(seconds: 300)), limits ?? new PreflightLimits(), _folder,
            analyzer: analyzer ?? new FixedAnalyzer(analysis ?? Measured()));
        return await checker.CheckAsync(new PreflightItem(1, "Intensity", 1, "Finalist", "finalist.mp4"));
    }

    private static MediaAnalysis Measured(double lufs = -23, double declared = 300, double decoded = 300.02, double blackHead = 0, double blackTail = 0,
        double silentHead = 0, double silentTail = 0, string? decodeError = null) =>
        new("mov,mp4,m4a,3gp,3g2,mj2", "h264", "High", "yuv420p", "aac", 1920, 1080, 23.976, declared, decoded,
            new LoudnessMeasurement(lufs, 5, -2), blackHead, blackTail, silentHead, silentTail, decodeError);

    [Theory]
    [InlineData(-23, -29.0, null)]
    [InlineData(-23, -17.0, null)]
    [InlineData(-23, -29.1, "Its loudness is -29.1 LUFS, 6.1 LU quieter than the contest's target of -23 LUFS: the player levels it at playback, but check the sound is as the editor meant it.")]
    [InlineData(-23, -16.9, "Its loudness is -16.9 LUFS, 6.1 LU louder than the contest's target of -23 LUFS: the player levels it at playback, but check the sound is as the editor meant it.")]
    [InlineData(-16, -23.0, "Its loudness is -23.0 LUFS, 7.0 LU quieter than the contest's target of -16 LUFS: the player levels it at playback, but check the sound is as the editor meant it.")]
    public async Task LoudnessFarFromTheTarget_IsAWarning_SayingHowFar(double target, double lufs, string? warning)
    {
        var entry = await MeasuredAsync(Measured(lufs), new PreflightLimits(LoudnessTargetLufs: target));

        Assert.Equal(warning is null ? [] : [warning], entry.Issues.Select(i => i.Message));
        Assert.Equal(lufs, entry.Loudness!.IntegratedLufs);
    }

    [Theory]
    [InlineData(300, 298.6, false)] // within 0.5 % of five minutes
    [InlineData(300, 298.4, true)]
    [InlineData(6, 5.6, false)] // within 0.5 s
    [InlineData(6, 5.4, true)]
    [InlineData(6, 0, true)]
    public async Task DecodingThatStopsShortOfTheDeclaredLength_IsAnError(double declared, double decoded, bool cut)
    {
        var entry = await MeasuredAsync(Measured(declared: declared, decoded: decoded));

        Assert.Equal(cut, entry.Issues.Any(i => i.Severity == PreflightStatus.Error && i.Message.Contains("the file is cut short")));
        Assert.Equal(decoded, entry.DecodedSeconds);
    }

    [Fact]
    public async Task BlackAndSilentEdges_OverOneSecond_AreWarnings_DamagedDataToo()
    {
        var within = await MeasuredAsync(Measured(blackHead: 1.0, blackTail: 0.5, silentHead: 1.0, silentTail: 0.9));
        var over = await MeasuredAsync(Measured(blackHead: 1.1, blackTail: 5, silentHead: 2.25, silentTail: 5, decodeError: "Error while decoding stream #0:0"));

        Assert.Empty(within.Issues);
        Assert.Equal(
        [
            "Damaged data met while decoding it (Error while decoding stream #0:0): watch it through before the show.",
            "The first 1.1 s are black (no picture): trim it, or check the export.",
            "The last 5.0 s are black (no picture): trim it, or check the export.",
            "The first 2.3 s are silent: trim it, or check the export.",
            "The last 5.0 s are silent: trim it, or check the export.",
        ], over.Issues.Select(i => i.Message));
        Assert.All(over.Issues, i => Assert.Equal(PreflightStatus.Warning, i.Severity));
    }

    [Fact]
    public async Task SoundSilentFromStartToEnd_IsAnError_NotAlsoSilentEdgesOrLoudness()
    {
        var entry = await MeasuredAsync(Measured(lufs: -70, silentHead: 300, silentTail: 300));

        Assert.Equal(["Its sound is silent from start to end (an empty audio track): a broken export? Check it with the editor."], entry.Issues.Select(i => i.Message));
        Assert.Equal(PreflightStatus.Error, entry.Status);
    }

    [Fact]
    public async Task AFileFfmpegCannotMeasure_IsAWarning_AndTheRestIsStillChecked()
    {
        var entry = await MeasuredAsync(analyzer: new FixedAnalyzer(null));

        Assert.Equal(PreflightStatus.Warning, entry.Status);
        Assert.StartsWith("Could not be measured", Assert.Single(entry.Issues).Message);
        Assert.Null(entry.Loudness);
        Assert.Equal(300, entry.DurationSeconds);
    }

    [Theory]
    [InlineData(0L, "0 bytes")]
    [InlineData(1L, "1 byte")]
    [InlineData(53_555L, "53,555 bytes")]
    [InlineData(104_856L, "104,856 bytes")]
    [InlineData(104_857L, "0.1 MB")]
    [InlineData(327_569_408L, "312.4 MB")]
    public void Sizes_BelowATenthOfAMegabyte_AreShownInBytes(long bytes, string shown) => Assert.Equal(shown, PreflightChecker.Size(bytes));

    /// <summary>An analyzer answering <paramref name="analysis"/>, or failing when it is null.</summary>
    private sealed class FixedAnalyzer(MediaAnalysis? analysis) : IMediaAnalyzer
    {
        public Task<MediaAnalysis> AnalyzeAsync(string file, IProgress<double>? progress = null, CancellationToken ct = default) =>
            analysis is null ? throw new MediaAnalysisException("ffmpeg cannot decode it: Invalid data found when processing input") : Task.FromResult(analysis);
    }

    /// <summary>An engine that only probes, answering <paramref name="probe"/> for every file.</summary>
    private sealed class ProbingEngine(MediaProbe probe) : IMediaEngine
    {
        public Task<MediaProbe> ProbeAsync(string path, CancellationToken ct = default) => Task.FromResult(probe);

        public Task<PlaybackResult> PlayAsync(MediaItem item, Action? onStarted = null, CancellationToken ct = default) => throw new NotSupportedException();

        public void Pause() => throw new NotSupportedException();

        public void Resume() => throw new NotSupportedException();

        public void Stop() => throw new NotSupportedException();

        public void SetAudio(PlayerAudio audio) => throw new NotSupportedException();

        public TimeSpan Position => TimeSpan.Zero;

        public TimeSpan? Length => null;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>The server side: the player sends the report, coordinators read it, nobody else does either.</summary>
public sealed class PreflightServerTests : IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    private static object Report(int errors = 1) => new
    {
        contestName = "Kumoricon 2024 AMV Contest",
        summary = new { total = 2, ok = 2 - errors, warnings = 0, errors },
        entries = new object[] { new { title = "A", status = "ok" }, new { title = "全集中", status = errors > 0 ? "error" : "ok" } },
    };

    [Fact]
    public async Task PlayerPosts_CoordinatorReadsTheLatest()
    {
        using var player = _server.CreatePlayerClient();
        using var coordinator = await _server.CreateStaffClientAsync(Roles.Coordinator);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync("/api/preflight")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync("/api/preflight", Report(errors: 1))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync("/api/preflight", Report(errors: 0))).StatusCode);
        var stored = await coordinator.GetFromJsonAsync<JsonElement>("/api/preflight");

        Assert.Equal(0, stored.GetProperty("report").GetProperty("summary").GetProperty("errors").GetInt32());
        Assert.Equal("全集中", stored.GetProperty("report").GetProperty("entries")[1].GetProperty("title").GetString());
        Assert.True(stored.TryGetProperty("receivedAt", out _));
        Assert.True(File.Exists(Path.Combine(_server.DataDirectory, "preflight-report.json")));
    }

    [Fact]
    public async Task Anonymous_Is401_Booth_Is403_CoordinatorCannotPost_PlayerCannotRead()
    {
        using var anonymous = _server.CreateAnonymousClient();
        using var booth = await _server.CreateStaffClientAsync(Roles.Booth);
        using var coordinator = await _server.CreateStaffClientAsync(Roles.Coordinator);
        using var player = _server.CreatePlayerClient();
        using var wrongKey = _server.CreateAnonymousClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "not-the-key-0123456789");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/preflight")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/preflight", Report())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.PostAsJsonAsync("/api/preflight", Report())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await booth.GetAsync("/api/preflight")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await booth.PostAsJsonAsync("/api/preflight", Report())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.PostAsJsonAsync("/api/preflight", Report())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await player.GetAsync("/api/preflight")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/preflight/limits")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await booth.GetAsync("/api/preflight/limits")).StatusCode);
    }

    [Fact]
    public async Task Limits_AreTheContestsForThePlayer()
    {
        await TestContest.ExecuteAsync(_server, "UPDATE contest SET max_file_megabytes = 500, max_duration_seconds = 240 WHERE id = 1");
        using var player = _server.CreatePlayerClient();

        var limits = await player.GetFromJsonAsync<JsonElement>("/api/preflight/limits");

        Assert.Equal((500, 240), (limits.GetProperty("maxFileMegabytes").GetInt32(), limits.GetProperty("maxDurationSeconds").GetInt32()));
    }

    [Fact]
    public async Task SomethingElse_IsRefused_NamingWhatIsMissing()
    {
        using var player = _server.CreatePlayerClient();

        var response = await player.PostAsJsonAsync("/api/preflight", new { summary = new { total = 1 }, entries = new[] { new { status = "fine" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("summary.ok", out _));
        Assert.True(errors.TryGetProperty("entries[0].status", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await player.PostAsJsonAsync("/api/preflight", new[] { 1, 2 })).StatusCode);
    }

    [Fact]
    public async Task ThePlayersPlaylist_CarriesWhatTheLatestReportFound_PerEntry()
    {
        await TestContest.SeedAsync(_server);
        using var player = _server.CreatePlayerClient();
        var show = await player.GetFromJsonAsync<PlayerShow>(PlayerContract.ShowPath);
        var (first, second) = (show!.Categories[0].Entries[0].Entry.Id, show.Categories[0].Entries[1].Entry.Id);
        Assert.All(show.Categories.SelectMany(c => c.Entries), e => Assert.Null(e.Checked));
        var sha = new string('a', 64);
        var report = new
        {
            summary = new { total = 2, ok = 1, warnings = 0, errors = 1 },
            entries = new object[]
            {
                new { entryId = first, status = "ok", sha256 = sha, sizeBytes = 1234, loudness = new { integratedLufs = -31.5, rangeLu = 4.2, truePeakDbtp = -9.1 } },
                new { entryId = second, status = "error", sha256 = (string?)null, loudness = (object?)null },
            },
        };
        Assert.Equal(HttpStatusCode.NoContent, (await player.PostAsJsonAsync("/api/preflight", report)).StatusCode);

        show = await player.GetFromJsonAsync<PlayerShow>(PlayerContract.ShowPath);
        var entries = show!.Categories[0].Entries;

        Assert.Equal(new CheckedFile("ok", sha, 1234, new LoudnessMeasurement(-31.5, 4.2, -9.1)), entries[0].Checked);
        Assert.Equal(new CheckedFile("error", null, null, null), entries[1].Checked);
        Assert.Equal(Loudness.DefaultTargetLufs, show.LoudnessTargetLufs);
    }

    [Theory]
    [InlineData("sha256", "\"ABC\"")]
    [InlineData("sha256", "42")]
    [InlineData("loudness", "{\"integratedLufs\":-23,\"rangeLu\":3,\"truePeakDbtp\":500}")]
    [InlineData("loudness", "{\"integratedLufs\":-2300,\"rangeLu\":3,\"truePeakDbtp\":-1}")]
    [InlineData("loudness", "{\"integratedLufs\":\"-23\",\"rangeLu\":3,\"truePeakDbtp\":-1}")]
    [InlineData("loudness", "[1,2,3]")]
    public async Task AReportWhoseFileFacts_ThePlayerCouldNotUse_IsRefused_NamingTheField(string field, string value)
    {
        using var player = _server.CreatePlayerClient();
        var body = $$"""{"summary":{"total":1,"ok":1,"warnings":0,"errors":0},"entries":[{"entryId":1,"status":"ok","{{field}}":{{value}}}]}""";

        var response = await player.PostAsync("/api/preflight", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty($"entries[0].{field}", out _), errors.GetRawText());
    }
}
