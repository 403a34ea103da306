using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;
using Microsoft.Extensions.Logging;

namespace AmvScreening.Tests.Player;

/// <summary>The player compares each finalist's file with what its pre-flight check saw (size, SHA-256): a file that
/// changed since, or failed its check, is a warning in the log and a flag on the booth panel.</summary>
public sealed class CheckedFilesTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly Dictionary<string, string?> Sample = new() { ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json") };

    private readonly string _folder = Directory.CreateTempSubdirectory("amv-checked-files-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task FilesChangedAfterPreflight_OrThatFailedIt_AreWarned_AndFlagged_UnchangedAndMissingOnesAreNot()
    {
        // Five finalists: unchanged, same size but other bytes, another size, failed its check, gone from the disk.
        var show = ShowRig.Playlist(5);
        var original = Enumerable.Range(1, 5).Select(i => Enumerable.Repeat((byte)i, 1000 + i).ToArray()).ToArray();
        var onDisk = new[] { original[0], original[1].Select(b => (byte)(b + 1)).ToArray(), [.. original[2], 0], original[3], null };
        var entries = show.Categories[0].Entries.Select((e, i) =>
        {
            if (onDisk[i] is { } bytes)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_folder, e.VideoPath!))!);
                File.WriteAllBytes(Path.Combine(_folder, e.VideoPath!), bytes);
            }

            return e with { Checked = new CheckedFile(i == 3 ? "error" : "ok", Sha256(original[i]), original[i].Length, null) };
        }).ToList();
        show = show with { Categories = [show.Categories[0] with { Entries = entries }] };
        var rundown = Rundown.Build(show, new RundownOptions(), _folder);
        var logs = new LogLines();
        using var factory = logs.CreateFactory();

        var files = CheckedFiles.Start(show, rundown, factory.CreateLogger<CheckedFiles>(), CancellationToken.None);
        await files.Completion.WaitAsync(Bound);

        Assert.Equal([2, 3], files.Changed.Keys.Order());
        Assert.Equal([null, "changed after pre-flight", "changed after pre-flight", "failed pre-flight", null], Enumerable.Range(1, 5).Select(files.Flag));
        Assert.Equal("PRE-FLIGHT changed since checked: 2, 3 · failed: 4 (finalist numbers)", files.Summary(rundown));
        var log = logs.ToString();
        Assert.Contains("2/5 Entry 2: the file changed after its pre-flight check (same size, other content: its SHA-256 differs): " +
                        Path.Combine(_folder, "c1/e2.mp4"), log);
        Assert.Contains("3/5 Entry 3: the file changed after its pre-flight check (1,004 bytes, was 1,003 bytes)", log);
        Assert.Contains("4/5 Entry 4: its file failed the pre-flight check", log);
        Assert.DoesNotContain("1/5 Entry 1", log);
        Assert.DoesNotContain("5/5 Entry 5", log);
    }

    [Fact]
    public async Task AShowWithoutPreflight_FlagsNothing()
    {
        var show = ShowRig.Playlist(2);
        var files = CheckedFiles.Start(show, Rundown.Build(show, new RundownOptions(), _folder), LoggerFactory.Create(_ => { }).CreateLogger("x"), CancellationToken.None);
        await files.Completion.WaitAsync(Bound);

        Assert.Empty(files.Changed);
        Assert.Null(files.Summary(Rundown.Build(show, new RundownOptions(), _folder)));
    }

    [Fact]
    public async Task ThePlayer_WarnsOfAFileChangedAfterThePreflightReportItsServerHolds()
    {
        await using var server = new AmvServer(Sample);
        using var api = server.CreatePlayerClient();
        var playlist = (await api.GetFromJsonAsync<PlayerShow>(PlayerContract.ShowPath))!;
        var (first, second) = (playlist.Categories[0].Entries[0], playlist.Categories[0].Entries[1]);
        var media = Path.Combine(_folder, "media");
        byte[] checkedBytes = [1, 2, 3, 4], nowBytes = [1, 2, 3, 5];
        foreach (var (entry, bytes) in new[] { (first, checkedBytes), (second, nowBytes) })
        {
            var path = Path.Combine(media, entry.VideoPath!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, bytes);
        }

        var report = new
        {
            summary = new { total = 2, ok = 2, warnings = 0, errors = 0 },
            entries = new[] { first, second }.Select(e => new { entryId = e.Entry.Id, status = "ok", sha256 = Sha256(checkedBytes), sizeBytes = 4 }),
        };
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync("/api/preflight", report)).StatusCode);

        await using var player = await PlayerRun.StartAsync(server, Path.Combine(_folder, "state"), s => s with { MediaFolder = media });
        var files = player.Host.Checked!;
        await files.Completion.WaitAsync(Bound);

        Assert.Equal([second.Entry.Id], files.Changed.Keys);
        Assert.Equal("changed after pre-flight", files.Flag(second.Entry.Id));
        Assert.Null(files.Flag(first.Entry.Id));
    }
}
