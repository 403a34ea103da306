using System.Text.Json;
using AmvScreening.Tests.Support;
using Dapper;

namespace AmvScreening.Tests.Entries;

/// <summary>
/// The entries' background pre-flight on the real server with the real ffmpeg: submissions written with SQL (as the
/// upload leaves them) are picked up, measured, and each entrant reads the first problem of their file; a file browsers
/// cannot play gets an H.264/AAC proxy; a file that takes too long is stopped; a server killed mid-check picks the entry
/// up again.
/// </summary>
public sealed class CheckQueueTests(EntryClips clips) : IClassFixture<EntryClips>
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    private static readonly Dictionary<string, string?> FastPoll = new() { ["Amv:Checks:PollInterval"] = "00:00:00.100" };

    [Fact]
    public async Task Queue_FilesQueuedWithSql_EachEntrantReadsTheFirstProblemOfTheirFile()
    {
        using var server = new AmvServer(FastPoll);
        using (var connection = EntryRows.Open(server.DatabasePath))
        {
            connection.Execute("UPDATE contest SET max_duration_seconds = 5");
        }

        var ids = new Dictionary<string, long>();
        foreach (var name in new[] { "good.mp4", "long.mp4", "no-audio.mp4", "no-video.m4a", "cut.mp4", "noise.mp4", "silent.mp4" })
        {
            ids[name] = EntryRows.Insert(server.DataDirectory, name, clips[name]);
        }

        var rows = new Dictionary<string, EntryRows.CheckRow>();
        foreach (var (name, id) in ids)
        {
            rows[name] = await EntryRows.WaitAsync(server.DatabasePath, id, EntryRows.Settled, Settle);
        }

        var good = rows["good.mp4"];
        Assert.Equal("passed", good.CheckState);
        Assert.Null(good.CheckMessage);
        Assert.Equal(1, good.CheckProgress);
        Assert.True(good.Report().GetProperty("loudness").GetProperty("integratedLufs").GetDouble() is < -5 and > -40, good.CheckReport);
        Assert.InRange(good.Report().GetProperty("durationSeconds").GetDouble(), 2.9, 3.2);
        Assert.True(good.Report().GetProperty("browserPlayable").GetBoolean());
        Assert.Null(good.ProxyPath);

        void Fails(string name, string rule, string message)
        {
            var row = rows[name];
            Assert.True(row.CheckState == "failed", $"{name}: {row}");
            Assert.Contains(message, row.CheckMessage);
            Assert.Equal(rule, row.Report().GetProperty("problems")[0].GetProperty("rule").GetString());
            Assert.Equal(row.CheckMessage, row.Report().GetProperty("problems")[0].GetProperty("message").GetString());
        }

        Fails("long.mp4", "too-long", "0:07 is over the 0:05 limit: upload a shorter cut before the deadline.");
        Fails("no-audio.mp4", "no-audio", "no audio track");
        Fails("no-video.m4a", "no-video", "no video track");
        Fails("cut.mp4", "cut-short", "not decodable to the end");
        Fails("noise.mp4", "undecodable", "cannot be played");
        Fails("silent.mp4", "silent", "silent from start to end");
    }

    [Fact]
    public async Task Queue_FileBrowsersCannotPlay_GetsAnH264AacProxyForTheJudges()
    {
        using var server = new AmvServer(FastPoll);
        var avi = EntryRows.Insert(server.DataDirectory, "Old codec", clips["old.avi"]);
        var mp4 = EntryRows.Insert(server.DataDirectory, "Plays as it is", clips["good.mp4"]);

        var row = await EntryRows.WaitAsync(server.DatabasePath, avi, r => r.ProxyPath is not null, Settle);
        Assert.Equal("passed", row.CheckState);
        Assert.False(row.Report().GetProperty("browserPlayable").GetBoolean());
        Assert.StartsWith(Path.Combine("entries", avi.ToString(), "proxy-"), row.ProxyPath);
        var proxy = Path.Combine(server.DataDirectory, row.ProxyPath!);
        var probed = await EntryClips.ProbeAsync(proxy);
        Assert.Contains("codec_name=h264", probed);
        Assert.Contains("pix_fmt=yuv420p", probed);
        Assert.Contains("codec_name=aac", probed);
        Assert.Contains("mp4", probed);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(proxy)!, "*.part"));

        var plays = await EntryRows.WaitAsync(server.DatabasePath, mp4, EntryRows.Settled, Settle);
        Assert.Equal("passed", plays.CheckState);
        Assert.Null(plays.ProxyPath);
    }

    [Fact]
    public async Task Queue_FileTakingLongerThanTheBound_IsStoppedAndTheEntrantToldWhy()
    {
        using var server = new AmvServer(new Dictionary<string, string?>(FastPoll) { ["Amv:Checks:TimeoutPerFile"] = "00:00:01" });
        var id = EntryRows.Insert(server.DataDirectory, "Slow", clips["long-1080p.mp4"]);
        var row = await EntryRows.WaitAsync(server.DatabasePath, id, EntryRows.Settled, Settle);
        Assert.Equal("failed", row.CheckState);
        Assert.Contains("took longer than", row.CheckMessage);
        Assert.Equal("timeout", row.Report().GetProperty("problems")[0].GetProperty("rule").GetString());
        Assert.Empty(ChildFfmpegs(server.DataDirectory));
    }

    [Fact]
    public async Task Queue_ServerKilledMidCheck_PicksTheEntryUpAgainAfterARestart()
    {
        var data = Directory.CreateTempSubdirectory("amv-check-restart-").FullName;
        try
        {
            var settings = AmvServer.ProcessSettings(data);
            settings.Remove("Amv:ImportOnFirstStart");
            settings["Amv:Checks:PollInterval"] = "00:00:00.100";
            var dll = Path.Combine(AppContext.BaseDirectory, "AmvScreening.Server.dll");
            var database = Path.Combine(data, "amv.db");
            long id;
            await using (var first = await ServerProcess.StartAsync(dll, settings, TimeSpan.FromSeconds(60)))
            {
                id = EntryRows.Insert(data, "Long one", clips["long-1080p.mp4"]);
                var running = await EntryRows.WaitAsync(database, id, r => r is { CheckState: "running", CheckProgress: > 0 }, Settle);
                Assert.True(running.CheckProgress < 1, $"{running}");
                await first.KillAsync();
            }

            Assert.Equal("running", EntryRows.Read(database, id).CheckState);
            await using (var second = await ServerProcess.StartAsync(dll, settings, TimeSpan.FromSeconds(60)))
            {
                var row = await EntryRows.WaitAsync(database, id, EntryRows.Settled, Settle);
                Assert.Equal("passed", row.CheckState);
                Assert.InRange(row.Report().GetProperty("durationSeconds").GetDouble(), 39.9, 40.2);
                Assert.Contains("queued again", second.Log);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>This test's ffmpeg processes still running: children of the test process reading a file in
    /// <paramref name="dataDirectory"/> (other tests' ffmpeg, running at the same time, are not this test's).</summary>
    private static List<int> ChildFfmpegs(string dataDirectory) =>
    [
        .. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(p => int.TryParse(p, out _))
            .Where(p =>
            {
                try
                {
                    var stat = File.ReadAllText($"/proc/{p}/stat");
                    var parts = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    return stat.Contains("(ffmpeg)") && parts[0] != "Z" && int.Parse(parts[1]) == Environment.ProcessId
                        && File.ReadAllText($"/proc/{p}/cmdline").Contains(dataDirectory, StringComparison.Ordinal);
                }
                catch (IOException)
                {
                    return false;
                }
            })
            .Select(p => int.Parse(p!)),
    ];
}
