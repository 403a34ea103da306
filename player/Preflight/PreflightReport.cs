using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AmvScreening.Protocol;

namespace AmvScreening.Player.Preflight;

/// <summary>What a finalist's file may be: the contest's limits (contest.limits in the contest file), and the loudness
/// the show plays at (a file far from it is a warning).</summary>
/// <param name="MaxFileMegabytes">In megabytes of 1,048,576 bytes, as Windows Explorer and most file managers count
/// them: a file shown as "330 MB" passes a 330 MB limit.</param>
/// <param name="LoudnessTargetLufs">The contest's target loudness (contest.limits.loudnessTargetLufs; the server's
/// <c>loudnessTargetLufs</c>); EBU R128's -23 LUFS when not given.</param>
public sealed record PreflightLimits(int MaxFileMegabytes = 330, int MaxDurationSeconds = 330, double LoudnessTargetLufs = Loudness.DefaultTargetLufs)
{
    public const long BytesPerMegabyte = 1024 * 1024;

    [JsonIgnore]
    public long MaxFileBytes => MaxFileMegabytes * BytesPerMegabyte;
}

/// <summary>A finalist to check, in show order.</summary>
/// <param name="EntryId">The server's id; null when read from a contest file.</param>
/// <param name="Order">Its place within its category, from 1.</param>
/// <param name="VideoPath">As imported: relative to the media folder, or absolute; null when none was given.</param>
public sealed record PreflightItem(int? EntryId, string Category, int Order, string Title, string? VideoPath);

/// <summary>ok: plays; warning: plays, but someone should look at it; error: would fail on the day.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PreflightStatus>))]
public enum PreflightStatus
{
    [JsonStringEnumMemberName("ok")] Ok,
    [JsonStringEnumMemberName("warning")] Warning,
    [JsonStringEnumMemberName("error")] Error,
}

public sealed record PreflightIssue(PreflightStatus Severity, string Message);

/// <summary>One finalist's result: its status (the worst of its issues), the issues, and what was learnt of the file.</summary>
/// <param name="File">The full path checked; null when the finalist has no video path.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes: the player warns when the file it plays has another.</param>
/// <param name="DurationSeconds">The duration libvlc (else the container) declares.</param>
/// <param name="Container">ffprobe's name of the container format (<c>mov,mp4,m4a,3gp,3g2,mj2</c>, <c>avi</c>, …).</param>
/// <param name="DecodedSeconds">How far decoding the whole file got (less than declared: cut short).</param>
/// <param name="Loudness">Integrated loudness, loudness range and true peak of the whole file (EBU R128).</param>
/// <param name="BlackHeadSeconds">Black picture at the start, in seconds (0: none); the same for the tail and silence.</param>
public sealed record PreflightEntry(
    int? EntryId,
    string Category,
    int Order,
    string Title,
    string? VideoPath,
    string? File,
    PreflightStatus Status,
    IReadOnlyList<PreflightIssue> Issues,
    long? SizeBytes = null,
    double? DurationSeconds = null,
    bool? HasVideo = null,
    bool? HasAudio = null,
    int? Width = null,
    int? Height = null,
    double? FrameRate = null,
    string? Sha256 = null,
    string? Container = null,
    string? VideoCodec = null,
    string? VideoProfile = null,
    string? PixelFormat = null,
    string? AudioCodec = null,
    double? DecodedSeconds = null,
    LoudnessMeasurement? Loudness = null,
    double? BlackHeadSeconds = null,
    double? BlackTailSeconds = null,
    double? SilentHeadSeconds = null,
    double? SilentTailSeconds = null);

public sealed record PreflightSummary(int Total, int Ok, int Warnings, int Errors);

/// <summary>The whole check: written to a JSON file and sent to the server (POST /api/preflight).</summary>
public sealed record PreflightReport(
    string ContestName,
    DateTimeOffset CheckedAt,
    string Machine,
    string MediaFolder,
    PreflightLimits Limits,
    PreflightSummary Summary,
    IReadOnlyList<PreflightEntry> Entries)
{
    /// <summary>True when some finalist would fail on the day.</summary>
    [JsonIgnore]
    public bool WouldFail => Summary.Errors > 0;

    /// <summary>The report's JSON: camelCase, indented, titles readable as written (nothing \u-escaped: the report
    /// is a file and a request body, never embedded in a web page).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
