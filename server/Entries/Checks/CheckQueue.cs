using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using AmvScreening.Protocol;
using AmvScreening.Protocol.Media;
using AmvScreening.Server.Data;
using AmvScreening.Server.Infrastructure;
using Dapper;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Entries.Checks;

/// <summary>
/// The entries' background pre-flight (docs/entries.md): takes the submissions whose file is waiting
/// (<c>check_state = 'queued'</c>, set by the upload when a file arrives), one at a time, measures the file with the
/// show's own analysis (<see cref="FfmpegAnalyzer"/>), writes <c>check_progress</c> as it goes, then
/// <c>passed</c>/<c>failed</c> with the report (JSON) and the first problem as the entrant reads it. Then, for a passed
/// file that browsers cannot play, a web-playable proxy for the judges (<see cref="ProxyMaker"/>).
/// </summary>
/// <remarks>
/// Restart safety lives in the table: a check cut off by a stop or a crash stays <c>running</c>, and is queued again
/// when the queue starts; a proxy not made yet is found again from the report (<c>proxyNeeded</c> without a
/// <c>proxy_path</c>). Every write names the file it is about (path and SHA-256), so a file replaced while it was being
/// checked never gets the old file's result: the new one is queued and checked next.
/// </remarks>
public sealed class CheckQueue(Db db, IOptions<AmvOptions> options, TimeProvider clock, ILogger<CheckQueue> logger) : BackgroundService
{
    /// <summary>How often the progress of a running check is written (the entry page polls it).</summary>
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(500);

    public static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private const string Resume = "UPDATE submissions SET check_state = 'queued', check_progress = NULL WHERE check_state = 'running'";

    private const string AnyQueued = "SELECT EXISTS (SELECT 1 FROM submissions WHERE check_state = 'queued' AND file_path IS NOT NULL AND withdrawn_at IS NULL)";

    private const string Claim = """
        UPDATE submissions SET check_state = 'running', check_progress = 0
        WHERE id = (SELECT id FROM submissions WHERE check_state = 'queued' AND file_path IS NOT NULL AND withdrawn_at IS NULL ORDER BY id LIMIT 1)
        RETURNING id AS Id, file_path AS FilePath, file_sha256 AS Sha256, file_bytes AS FileBytes
        """;

    private const string SameFile = "id = @Id AND file_path IS @FilePath AND file_sha256 IS @Sha256";

    private const string WriteProgress = $"UPDATE submissions SET check_progress = @Progress WHERE {SameFile} AND check_state = 'running'";

    private const string Finish = $"""
        UPDATE submissions SET check_state = @State, check_progress = 1, check_report = @Report, check_message = @Message
        WHERE {SameFile} AND check_state = 'running'
        """;

    private const string SelectLimits = "SELECT max_file_megabytes AS MaxFileMegabytes, max_duration_seconds AS MaxDurationSeconds FROM contest WHERE id = 1";

    // A proxy is needed by a file browsers cannot play, and by every file while judging is blind (a copy without the
    // file's tags and chapters, which may name the editor).
    private const string NextProxy = """
        SELECT id AS Id, file_path AS FilePath, file_sha256 AS Sha256, file_bytes AS FileBytes,
               coalesce(json_extract(check_report, '$.proxyNeeded'), 0) AS Transcode
        FROM submissions
        WHERE check_state = 'passed' AND proxy_path IS NULL AND withdrawn_at IS NULL AND file_path IS NOT NULL
          AND (json_extract(check_report, '$.proxyNeeded') = 1 OR (SELECT blind_judging FROM contest WHERE id = 1) = 1)
          AND json_extract(check_report, '$.proxyError') IS NULL
        ORDER BY id LIMIT 1
        """;

    private const string ProxyMade = $"UPDATE submissions SET proxy_path = @ProxyPath WHERE {SameFile} AND check_state = 'passed'";

    private const string ProxyFailed = $"UPDATE submissions SET check_report = json_set(check_report, '$.proxyError', @Error) WHERE {SameFile} AND check_state = 'passed'";

    /// <summary>A file waiting for its check or its proxy.</summary>
    public sealed record Job
    {
        public required long Id { get; init; }
        public required string FilePath { get; init; }
        public string? Sha256 { get; init; }
        public long? FileBytes { get; init; }

        /// <summary>For a proxy: the file must be made web-playable (else a copy of its streams will do).</summary>
        public bool Transcode { get; init; }
    }

    /// <summary>The check's report, kept as JSON in <c>check_report</c>.</summary>
    public sealed record Report(
        DateTimeOffset CheckedAt,
        bool Passed,
        IReadOnlyList<EntryProblem> Problems,
        EntryLimits Limits,
        long FileBytes,
        double? DurationSeconds,
        LoudnessMeasurement? Loudness,
        bool BrowserPlayable,
        bool ProxyNeeded,
        double ElapsedSeconds,
        MediaAnalysis? Analysis,
        string? AnalysisError);

    private string DataFolder => Path.GetDirectoryName(options.Value.DatabasePath)!;

    private CheckOptions Settings => options.Value.Checks;

    /// <summary>The time bound of one file, as people read it: "20 minutes", "30 seconds".</summary>
    private string Bound => Settings.TimeoutPerFile is { TotalMinutes: >= 1 } t
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalMinutes:0.#} minutes")
        : string.Create(CultureInfo.InvariantCulture, $"{Settings.TimeoutPerFile.TotalSeconds:0.#} seconds");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        FfmpegAnalyzer analyzer;
        try
        {
            analyzer = FfmpegAnalyzer.Create();
        }
        catch (MediaAnalysisException e)
        {
            logger.LogError("Entries are not checked: {Reason}", e.Message);
            return;
        }

        var resumed = false;
        using var timer = new PeriodicTimer(Settings.PollInterval, clock);
        do
        {
            try
            {
                resumed = resumed || await ResumeAsync(stoppingToken);
                while (await CheckNextAsync(analyzer, stoppingToken) || await ProxyNextAsync(analyzer, stoppingToken))
                {
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "The entries' check queue met an error; it goes on at the next poll.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Queues again the checks a stop or a crash cut off (this process checks nothing yet); true once done.</summary>
    private async Task<bool> ResumeAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var count = await connection.ExecuteAsync(Resume);
        if (count > 0)
        {
            logger.LogInformation("{Count} entry check(s) cut off by the last stop are queued again.", count);
        }

        return true;
    }

    /// <summary>Checks the next queued file; false when none waits.</summary>
    private async Task<bool> CheckNextAsync(FfmpegAnalyzer analyzer, CancellationToken ct)
    {
        Job? job;
        EntryLimits limits;
        await using (var connection = await db.OpenAsync(ct))
        {
            // Read first: on show day the table is idle, and a poll should not take the database's write lock.
            job = await connection.ExecuteScalarAsync<bool>(AnyQueued) ? await connection.QuerySingleOrDefaultAsync<Job>(Claim) : null;
            if (job is null)
            {
                return false;
            }

            limits = await connection.QuerySingleAsync<EntryLimits>(SelectLimits);
        }

        var started = clock.GetTimestamp();
        var bytes = job.FileBytes ?? (FullPath(job.FilePath) is { } file && File.Exists(file) ? new FileInfo(file).Length : 0);
        MediaAnalysis? analysis = null;
        string? unreadable = null;
        EntryVerdict verdict;
        try
        {
            (analysis, unreadable, var stopped) = await MeasureAsync(analyzer, job, ct);
            verdict = stopped is not null ? new EntryVerdict(false, [stopped], null, false) : FileRules.Judge(analysis, unreadable, bytes, limits);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Not the file's fault: the entrant is told so, the coordinator sees it failed and can check it again.
            logger.LogError(e, "Entry {Id} could not be checked.", job.Id);
            verdict = new EntryVerdict(false, [new EntryProblem("server-error",
                "Your file could not be checked because of a problem on our side; the contest staff can see it and will check it again.")], null, false);
        }

        var report = new Report(
            clock.GetUtcNow(), verdict.Passed, verdict.Problems, limits, bytes, analysis is null ? null : FileRules.Seconds(analysis), verdict.Loudness,
            verdict.BrowserPlayable, verdict.Passed && !verdict.BrowserPlayable, Math.Round(clock.GetElapsedTime(started).TotalSeconds, 2), analysis, unreadable);
        await using (var connection = await db.OpenAsync(CancellationToken.None))
        {
            var written = await connection.ExecuteAsync(Finish, new
            {
                job.Id,
                job.FilePath,
                job.Sha256,
                State = verdict.Passed ? "passed" : "failed",
                Report = JsonSerializer.Serialize(report, ReportJson),
                verdict.Message,
            });
            logger.LogInformation("Entry {Id} {State} its check in {Seconds:0.0} s{Message}", job.Id, verdict.Passed ? "passed" : "failed",
                report.ElapsedSeconds, written == 0 ? " (its file was replaced meanwhile: not written)" : verdict.Message is { } m ? $": {m}" : "");
        }

        return true;
    }

    /// <summary>The analysis; or ffmpeg's reason it has none; or the problem that stopped the check (the file is missing,
    /// or measuring it took longer than <see cref="CheckOptions.TimeoutPerFile"/>).</summary>
    private async Task<(MediaAnalysis? Analysis, string? Unreadable, EntryProblem? Stopped)> MeasureAsync(FfmpegAnalyzer analyzer, Job job, CancellationToken ct)
    {
        if (FullPath(job.FilePath) is not { } file || !File.Exists(file))
        {
            return (null, null, new EntryProblem("missing", "The uploaded file is missing on the server: upload it again."));
        }

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(Settings.TimeoutPerFile);
        var progress = new Latest();
        var writer = WriteProgressAsync(job, progress, bounded.Token);
        try
        {
            return (await analyzer.AnalyzeAsync(file, progress, bounded.Token), null, null);
        }
        catch (MediaAnalysisException e)
        {
            return (null, e.Message, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, null, new EntryProblem("timeout", string.Create(CultureInfo.InvariantCulture,
                $"Checking this file took longer than {Bound} and was stopped: export it again as an MP4 (H.264 and AAC) and upload it before the deadline.")));
        }
        finally
        {
            await bounded.CancelAsync();
            await writer;
        }
    }

    /// <summary>Writes the latest fraction measured, twice a second, until <paramref name="ct"/> ends it.</summary>
    private async Task WriteProgressAsync(Job job, Latest progress, CancellationToken ct)
    {
        var written = 0.0;
        try
        {
            while (true)
            {
                await Task.Delay(ProgressEvery, clock, ct);
                if (progress.Value is var value && value > written)
                {
                    await using var connection = await db.OpenAsync(ct);
                    await connection.ExecuteAsync(WriteProgress, new { job.Id, job.FilePath, job.Sha256, Progress = Math.Round(value, 3) });
                    written = value;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The check ended.
        }
    }

    /// <summary>Makes the next proxy a passed file needs; false when none does.</summary>
    private async Task<bool> ProxyNextAsync(FfmpegAnalyzer analyzer, CancellationToken ct)
    {
        Job? job;
        await using (var connection = await db.OpenAsync(ct))
        {
            job = await connection.QuerySingleOrDefaultAsync<Job>(NextProxy);
        }

        if (job is null)
        {
            return false;
        }

        var relative = ProxyMaker.PathFor(job.Id, job.Sha256);
        var source = FullPath(job.FilePath);
        var target = FullPath(relative);
        string? error;
        using (var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            bounded.CancelAfter(Settings.TimeoutPerFile);
            try
            {
                error = source is null || target is null
                    ? "the stored file path leaves the data folder"
                    : await ProxyMaker.MakeAsync(analyzer.Ffmpeg, source, target, Settings.ProxyHeight, job.Transcode, bounded.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                error = $"ffmpeg took longer than {Bound}";
            }
        }

        await using (var connection = await db.OpenAsync(CancellationToken.None))
        {
            var written = error is null
                ? await connection.ExecuteAsync(ProxyMade, new { job.Id, job.FilePath, job.Sha256, ProxyPath = relative })
                : await connection.ExecuteAsync(ProxyFailed, new { job.Id, job.FilePath, job.Sha256, Error = error });
            if (error is null && written == 0)
            {
                File.Delete(target!); // the file was replaced or withdrawn meanwhile
            }

            if (error is not null)
            {
                logger.LogWarning("Entry {Id}: no web-playable proxy: {Error}", job.Id, error);
            }
        }

        return true;
    }

    /// <summary>A path stored relative to the data folder, made absolute; null when it would leave the data folder.</summary>
    private string? FullPath(string relative)
    {
        var root = Path.GetFullPath(DataFolder) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>The latest fraction reported, read by the progress writer.</summary>
    private sealed class Latest : IProgress<double>
    {
        private double _value;

        public double Value => Volatile.Read(ref _value);

        public void Report(double value) => Volatile.Write(ref _value, value);
    }
}
