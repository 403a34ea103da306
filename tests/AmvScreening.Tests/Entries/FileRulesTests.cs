using AmvScreening.Protocol;
using AmvScreening.Protocol.Media;
using AmvScreening.Server.Entries.Checks;

namespace AmvScreening.Tests.Entries;

/// <summary>The entry rules on the show's measurement of a file: what the entrant reads first, for each rule and at
/// each limit's edge; loudness is reported and never fails a file; which files browsers play as they are.</summary>
[Trait("Kind", "Unit")]
public sealed class FileRulesTests
{
    private static readonly EntryLimits Kumoricon = new() { MaxFileMegabytes = 330, MaxDurationSeconds = 330 };

    private static MediaAnalysis Measured(double seconds = 300, double? declared = null, string? video = "h264", string? audio = "aac",
        string container = "mov,mp4,m4a,3gp,3g2,mj2", string pixels = "yuv420p", double lufs = -23, double silentHead = 0) => new(
        container, video, "High", video is null ? null : pixels, audio, video is null ? null : 1920, video is null ? null : 1080, 23.976,
        declared ?? seconds, seconds, audio is null ? null : new LoudnessMeasurement(lufs, 6, -1), 0, 0, silentHead, 0, null);

    [Theory]
    [InlineData(342, "5:42 is over the 5:30 limit: upload a shorter cut before the deadline.")]
    [InlineData(330.4, "5:30.4 is over the 5:30 limit: upload a shorter cut before the deadline.")]
    [InlineData(331.0, "5:31 is over the 5:30 limit: upload a shorter cut before the deadline.")]
    [InlineData(3600, "60:00 is over the 5:30 limit: upload a shorter cut before the deadline.")]
    public void TooLong_SaysByHowMuchAndWhatToDo(double seconds, string message)
    {
        var verdict = FileRules.Judge(Measured(seconds), null, 100_000_000, Kumoricon);
        Assert.False(verdict.Passed);
        Assert.Equal(message, verdict.Message);
        Assert.Equal("too-long", verdict.Problems[0].Rule);
    }

    [Theory]
    [InlineData(330.0)]
    [InlineData(329.99)]
    [InlineData(1)]
    public void AtOrUnderTheLimit_Passes(double seconds) => Assert.True(FileRules.Judge(Measured(seconds), null, 1000, Kumoricon).Passed);

    [Fact]
    public void OneByteOverTheSizeLimit_Fails_AtTheLimit_Passes()
    {
        Assert.True(FileRules.Judge(Measured(), null, Kumoricon.MaxFileBytes, Kumoricon).Passed);
        var over = FileRules.Judge(Measured(), null, Kumoricon.MaxFileBytes + 1, Kumoricon);
        Assert.Equal("too-large", over.Problems.Single().Rule);
        Assert.StartsWith("330.0 MB is over the 330 MB limit", over.Message);
    }

    [Fact]
    public void EachProblem_IsNamed_AndTheFirstIsWhatTheEntrantReads()
    {
        Assert.Equal(["no-video"], Rules(FileRules.Judge(Measured(video: null), null, 1000, Kumoricon)));
        Assert.Equal(["no-audio"], Rules(FileRules.Judge(Measured(audio: null), null, 1000, Kumoricon)));
        Assert.Equal(["cut-short"], Rules(FileRules.Judge(Measured(100, declared: 300), null, 1000, Kumoricon)));
        Assert.Equal(["silent"], Rules(FileRules.Judge(Measured(silentHead: 300), null, 1000, Kumoricon)));
        var undecodable = FileRules.Judge(null, "ffprobe cannot read it: Invalid data found when processing input", 1000, Kumoricon);
        Assert.Equal(["undecodable"], Rules(undecodable));
        Assert.Contains("Invalid data found", undecodable.Message);
        var several = FileRules.Judge(Measured(400, audio: null), null, Kumoricon.MaxFileBytes * 2, Kumoricon);
        Assert.Equal(["no-audio", "too-long", "too-large"], Rules(several));
        Assert.Equal(several.Problems[0].Message, several.Message);
    }

    [Theory]
    [InlineData(-40)]
    [InlineData(-5)]
    public void Loudness_FarFromTheTarget_IsReportedNotAFailure(double lufs)
    {
        var verdict = FileRules.Judge(Measured(lufs: lufs), null, 1000, Kumoricon);
        Assert.True(verdict.Passed);
        Assert.Equal(lufs, verdict.Loudness!.IntegratedLufs);
    }

    [Theory]
    [InlineData("mov,mp4,m4a,3gp,3g2,mj2", "h264", "yuv420p", "aac", true)]
    [InlineData("mov,mp4,m4a,3gp,3g2,mj2", "h264", "yuv420p", null, true)]
    [InlineData("mov,mp4,m4a,3gp,3g2,mj2", "h264", "yuv420p10le", "aac", false)]
    [InlineData("mov,mp4,m4a,3gp,3g2,mj2", "hevc", "yuv420p", "aac", false)]
    [InlineData("mov,mp4,m4a,3gp,3g2,mj2", "prores", "yuv422p10le", "pcm_s16le", false)]
    [InlineData("avi", "msmpeg4v2", "yuv420p", "mp3", false)]
    [InlineData("matroska,webm", "h264", "yuv420p", "aac", false)]
    public void BrowserPlays_OnlyEightBitH264InMp4(string container, string video, string pixels, string? audio, bool plays) =>
        Assert.Equal(plays, FileRules.BrowserPlays(Measured(container: container, video: video, pixels: pixels, audio: audio)));

    private static string[] Rules(EntryVerdict verdict) => [.. verdict.Problems.Select(p => p.Rule)];
}
