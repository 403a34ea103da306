using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using AmvScreening.Player.Show;
using AmvScreening.Player.Vlc;
using AmvScreening.Protocol;
using AmvScreening.Protocol.Media;

namespace AmvScreening.Player.Preflight;

/// <summary>The exit codes of <see cref="PreflightCommand"/>.</summary>
public static class PreflightExitCodes
{
    /// <summary>Every finalist will play (warnings allowed), and the report reached the server when there is one.</summary>
    public const int Ok = 0;
    /// <summary>At least one finalist would fail on the day (a status "error").</summary>
    public const int WouldFail = 1;
    /// <summary>The server refused the API key (as <c>run</c> does).</summary>
    public const int ApiKeyRefused = 2;
    /// <summary>Nothing could be checked: the server cannot be reached, the contest file cannot be read, libvlc is missing.</summary>
    public const int CannotCheck = 3;
    /// <summary>Checked without errors, but the server did not take the report (the JSON file has it).</summary>
    public const int ReportNotSent = 4;
    /// <summary>Wrong or missing options.</summary>
    public const int Usage = 64;
}

/// <summary>
/// <c>preflight --server URL --api-key KEY --media DIR [--json FILE]</c> (or <c>--contest FILE.json</c> instead of the
/// server's playlist): checks every finalist's file with <see cref="PreflightChecker"/>, prints a line per file and a
/// table, writes the JSON report, and sends it to the server (POST /api/preflight), where coordinators read it (GET).
/// docs/preflight.md describes it; the exit codes are <see cref="PreflightExitCodes"/>. The progress, the table and
/// the messages are the command's output (its writers), not log lines.
/// </summary>
public static class PreflightCommand
{
    /// <summary>Where the API key is read from when --api-key is not given (as for <c>run</c>).</summary>
    public const string ApiKeyVariable = PlayerCommandLine.ApiKeyVariable;

    public const string DefaultReportFile = "preflight-report.json";

    public const string Usage = """
        Usage: preflight --server URL --api-key KEY [--media DIR] [--json FILE] [--cache FILE]
               preflight --contest FILE.json [--media DIR] [--json FILE] [--cache FILE] [--server URL --api-key KEY]
        """;

    private const string Description = "Check every finalist's video file before the show";

    private const string HelpDetails = $"""
        Checks every finalist's video before the show: the file is there, within the contest's size and length limits,
        libvlc opens it, it has picture and sound; then decodes it whole with ffmpeg: cut short, black or silent head and
        tail, loudness (EBU R128), codec. Measurements are cached by file checksum (--cache FILE). The finalists and
        limits come from the server (--server URL --api-key KEY) or from a contest file (--contest FILE.json):

        {Usage}

        Exit codes: 0 every finalist will play (warnings allowed); 1 at least one would fail; 2 the server refused the
        API key; 3 nothing could be checked (server unreachable, contest file unreadable, libvlc missing); 4 checked,
        but the server did not take the report; 64 wrong options.
        """;

    /// <summary>What a valid command line asks for.</summary>
    private sealed record Options(Uri? Server, string? ApiKey, string Media, string? Json, string? Contest, string Cache);

    /// <summary>The <c>preflight</c> command (a part of <see cref="PlayerCommandLine"/>).</summary>
    /// <param name="createEngine">Makes the engine that probes the files. Default: headless libvlc.</param>
    internal static Command Create(Func<IMediaEngine>? createEngine = null)
    {
        var server = PlayerCommandLine.Server("The AmvScreening server: the playlist and limits come from it, the report goes to it");
        var apiKey = PlayerCommandLine.ApiKey();
        var media = PlayerCommandLine.Media();
        var json = PlayerCommandLine.Valued("--json", $"Where to write the JSON report (default: {DefaultReportFile})", "FILE", (_, text) => text);
        var contest = PlayerCommandLine.Valued("--contest",
            "Read the finalists and limits from a JSON contest file instead of the server (with --server too, the report is still sent)",
            "FILE.json", (_, text) => text);
        var cache = PlayerCommandLine.Valued("--cache", $"Where earlier measurements are kept, by file checksum (default: {AnalysisCache.DefaultPath})",
            "FILE", (_, text) => text, () => AnalysisCache.DefaultPath);
        var command = new UsageCommand("preflight", Description, Usage, PreflightExitCodes.Usage) { HelpDetails = HelpDetails };
        foreach (var option in new Option[] { server, apiKey, media, json, contest, cache })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(r =>
        {
            if (r.GetResult(server) is null && r.GetResult(contest) is null)
            {
                r.AddError("give --server URL (the server's playlist) or --contest FILE.json");
            }
        });
        apiKey.Validators.Add(r =>
        {
            if (r.Parent is CommandResult given && given.GetResult(server) is not null && PlayerCommandLine.IsMissing(r))
            {
                r.AddError(PlayerCommandLine.ApiKeyMissing);
            }
        });
        command.SetAction((result, ct) => RunAsync(
            new Options(
                result.GetValue(server),
                result.GetValue(apiKey),
                result.GetValue(media) ?? Directory.GetCurrentDirectory(),
                result.GetValue(json),
                result.GetValue(contest),
                result.GetValue(cache)!),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            createEngine,
            ct));
        return command;
    }

    /// <summary>Runs <c>preflight</c> with <paramref name="args"/> (the arguments after it), writing to
    /// <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <param name="createEngine">Makes the engine that probes the files. Default: headless libvlc.</param>
    public static Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, Func<IMediaEngine>? createEngine = null, CancellationToken ct = default) =>
        PlayerCommandLine.InvokeAsync(
            new RootCommand { Create(createEngine) }, ["preflight", .. args], new InvocationConfiguration { Output = output, Error = error }, ct);

    private static async Task<int> RunAsync(Options options, TextWriter output, TextWriter error, Func<IMediaEngine>? createEngine, CancellationToken ct)
    {
        using var server = options.Server is null ? null : CreateClient(options.Server, options.ApiKey!);
        PreflightPlan plan;
        try
        {
            plan = options.Contest is { } contest ? PreflightPlan.FromContestFile(contest) : await PreflightPlan.FromServerAsync(server!, ct);
        }
        catch (PreflightApiKeyException e)
        {
            error.WriteLine($"error: {e.Message} Check --api-key (the server prints the key at its first start).");
            return PreflightExitCodes.ApiKeyRefused;
        }
        catch (PreflightInputException e)
        {
            error.WriteLine($"error: {e.Message}");
            return PreflightExitCodes.CannotCheck;
        }

        IMediaEngine engine;
        try
        {
            engine = createEngine?.Invoke() ?? new VlcEngine(new VlcEngineOptions { Headless = true });
        }
        catch (VlcException e)
        {
            error.WriteLine($"error: {e.Message}");
            return PreflightExitCodes.CannotCheck;
        }

        FfmpegAnalyzer analyzer;
        try
        {
            analyzer = FfmpegAnalyzer.Create();
        }
        catch (MediaAnalysisException e)
        {
            await engine.DisposeAsync();
            error.WriteLine($"error: {e.Message}");
            return PreflightExitCodes.CannotCheck;
        }

        PreflightReport report;
        var cache = AnalysisCache.Load(options.Cache);
        await using (engine)
        {
            // A bar redrawn in place only on a terminal: a log or a test reads one plain line per file.
            var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
            var checker = new PreflightChecker(engine, plan.Limits, options.Media, output, analyzer, cache, progressBar: terminal);
            output.WriteLine($"Pre-flight check: {DisplayText.OneLine(plan.ContestName)}, {plan.Items.Count} finalist(s), media folder {checker.MediaFolder}");
            output.WriteLine($"Limits: {plan.Limits.MaxFileMegabytes} MB, {PreflightChecker.Length(TimeSpan.FromSeconds(plan.Limits.MaxDurationSeconds))}; " +
                             $"loudness target {PreflightChecker.Lufs(plan.Limits.LoudnessTargetLufs)}");
            report = await checker.CheckAsync(plan.ContestName, plan.Items, ct);
            output.WriteLine($"Measured {checker.Measured} file(s), {cache.Hits} from the cache ({cache.Path}).");
        }

        if (cache.Save() is { } notSaved)
        {
            error.WriteLine($"warning: could not write the measurements' cache {cache.Path}: {notSaved}");
        }

        output.WriteLine();
        WriteTable(output, report);

        var json = Path.GetFullPath(options.Json ?? DefaultReportFile);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(json)!);
            var temporary = json + ".tmp";
            await File.WriteAllTextAsync(temporary, ToJson(report), new UTF8Encoding(false), ct);
            File.Move(temporary, json, overwrite: true);
            output.WriteLine($"Report: {json}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"warning: could not write the report to {json}: {e.Message}");
        }

        var sent = PreflightExitCodes.Ok;
        if (server is not null)
        {
            sent = await SendAsync(server, report, output, error, ct);
        }
        else
        {
            output.WriteLine("Not sent to a server (no --server).");
        }

        return report.WouldFail ? PreflightExitCodes.WouldFail : sent;
    }

    /// <summary>The report as the JSON file holds it (and the server stores it).</summary>
    public static string ToJson(PreflightReport report) =>
        System.Text.Json.JsonSerializer.Serialize(report, PreflightReport.Json) + "\n";

    private static async Task<int> SendAsync(HttpClient server, PreflightReport report, TextWriter output, TextWriter error, CancellationToken ct)
    {
        try
        {
            using var response = await server.PostAsJsonAsync(PreflightPlan.ReportPath, report, PreflightReport.Json, ct);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                error.WriteLine($"error: the server at {server.BaseAddress} refused the player's API key ({(int)response.StatusCode}); the report was not sent.");
                return PreflightExitCodes.ApiKeyRefused;
            }

            if (!response.IsSuccessStatusCode)
            {
                error.WriteLine($"error: the server did not take the report: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                return PreflightExitCodes.ReportNotSent;
            }

            output.WriteLine($"Sent to {server.BaseAddress}: coordinators see it at GET {PreflightPlan.ReportPath}.");
            return PreflightExitCodes.Ok;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            error.WriteLine($"error: the report could not be sent to {server.BaseAddress}: {e.Message}");
            return PreflightExitCodes.ReportNotSent;
        }
    }

    private static HttpClient CreateClient(Uri server, string apiKey)
    {
        var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Add(ShowHubContract.ApiKeyHeader, apiKey);
        return client;
    }

    // --- The table --------------------------------------------------------------------------------------------------

    /// <summary>The report as a table, then each finalist's problems, then the totals.</summary>
    public static void WriteTable(TextWriter output, PreflightReport report)
    {
        string[] header = ["#", "Category", "Title", "Status", "Length", "Picture", "fps", "Codec", "Loudness", "Size"];
        var rows = report.Entries.Select((e, i) => new[]
        {
            (i + 1).ToString(CultureInfo.InvariantCulture),
            $"{e.Category} {e.Order}",
            e.Title,
            e.Status switch { PreflightStatus.Ok => "ok", PreflightStatus.Warning => "warning", _ => "ERROR" },
            e.DurationSeconds is { } d ? PreflightChecker.Length(TimeSpan.FromSeconds(d)) : "-",
            e is { Width: { } w, Height: { } h } ? $"{w}×{h}" : "-",
            e.FrameRate is { } f ? PreflightChecker.Fps(f) : "-",
            PreflightChecker.Codec(e) ?? "-",
            e.Loudness is { } l ? PreflightChecker.Lufs(l.IntegratedLufs) : "-",
            e.SizeBytes is { } s ? PreflightChecker.Size(s) : "-",
        }).ToList();
        var limits = new[] { 4, 24, 36, 7, 9, 11, 7, 22, 10, 13 };
        var cells = rows.Select(r => r.Select((c, i) => DisplayText.CutToColumns(DisplayText.OneLine(c), limits[i])).ToArray()).ToList();
        var widths = header.Select((h, i) => Math.Max(DisplayText.Columns(h), cells.Select(r => DisplayText.Columns(r[i])).DefaultIfEmpty(0).Max())).ToArray();

        output.WriteLine(Row(header));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
        {
            output.WriteLine(Row(row));
        }

        var problems = report.Entries.Select((e, i) => (Number: i + 1, Entry: e)).Where(x => x.Entry.Issues.Count > 0).ToList();
        if (problems.Count > 0)
        {
            output.WriteLine();
            foreach (var (number, entry) in problems)
            {
                foreach (var issue in entry.Issues)
                {
                    output.WriteLine($"{number,3}. {(issue.Severity == PreflightStatus.Error ? "ERROR  " : "warning")} {DisplayText.OneLine(entry.Category)} {entry.Order} · {DisplayText.OneLine(entry.Title)}: {issue.Message}");
                }
            }
        }

        var summary = report.Summary;
        output.WriteLine();
        output.WriteLine($"{summary.Total} checked: {summary.Ok} ok, {summary.Warnings} with warnings, {summary.Errors} with errors. " +
                         (report.WouldFail ? "Fix the errors before the show." : "Every finalist will play."));

        string Row(string[] row) => string.Join("  ", row.Select((c, i) => c + new string(' ', widths[i] - DisplayText.Columns(c)))).TrimEnd();
    }
}
