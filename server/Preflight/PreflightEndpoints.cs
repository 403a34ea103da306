using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Preflight;

/// <summary>
/// The player's pre-flight report: the player checks every finalist's file before the show and sends the report here;
/// coordinators read the latest one. The server keeps only the latest report, as the player wrote it, in
/// <c>{DataDirectory}/preflight-report.json</c> (not in the database: it is the player's document, replaced whole
/// each time, and read whole).
/// </summary>
public static class PreflightEndpoints
{
    /// <summary>What coordinators get: when the server received the report, and the report.</summary>
    public sealed record StoredReport(DateTimeOffset ReceivedAt, JsonElement Report);

    /// <summary>Whether the player has sent a report, the entry ids whose file failed its check (status error), and those
    /// whose file the player found changed since (<see cref="PreflightFacts.GetChangedAsync"/>).</summary>
    public sealed record FailedEntries(bool HasReport, IReadOnlyList<int> EntryIds, IReadOnlyList<int> ChangedEntryIds);

    /// <summary>The contest's limits, for the player's check, and the loudness target it compares each file with.</summary>
    public sealed record Limits(int MaxFileMegabytes, int MaxDurationSeconds, int LoudnessTargetLufs);

    /// <summary>A report lists every finalist; a large contest's stays far below this.</summary>
    public const long MaxReportBytes = 1024 * 1024;

    public const string FileName = "preflight-report.json";

    /// <summary>The stored file keeps Japanese titles readable.</summary>
    private static readonly JsonSerializerOptions FileJson = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public static IEndpointRouteBuilder MapPreflight(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/preflight").WithTags("Pre-flight");
        group.MapPost("/", Store)
            .RequireAuthorization(Roles.Policies.Player)
            .WithMetadata(new RequestSizeLimitAttribute(MaxReportBytes))
            .WithSummary("The player sends its pre-flight report (a JSON object with 'summary' and 'entries'); it replaces the previous one.");
        group.MapGet("/", Read)
            .RequireAuthorization(Roles.Policies.Coordinator)
            .WithSummary("The latest pre-flight report and when it arrived; 404 before the player has sent one.");
        group.MapPost("/changed", StoreChanged)
            .RequireAuthorization(Roles.Policies.Player)
            .WithSummary("The player says which finalists' files differ from what their latest pre-flight check saw (size, SHA-256 now); it replaces the previous list.");
        group.MapGet("/failed", async (PreflightFacts facts, IOptions<AmvOptions> options, CancellationToken ct) =>
                TypedResults.Ok(new FailedEntries(
                    File.Exists(PathOf(options.Value)),
                    [.. (await facts.GetAsync(ct)).Where(f => f.Value.Status == "error").Select(f => f.Key).Order()],
                    await facts.GetChangedAsync(ct))))
            .RequireAuthorization(Roles.Policies.Staff)
            .WithSummary("The finalists whose file failed the latest pre-flight check (status error), and those whose file changed since, for the setup page, the booth and the running order.");
        group.MapGet("/limits", async (ContestStore contest, CancellationToken ct) =>
            {
                var limits = (await contest.GetDetailsAsync(ct)).Limits;
                return TypedResults.Ok(new Limits(limits.MaxFileMegabytes, limits.MaxDurationSeconds, limits.LoudnessTargetLufs));
            })
            .RequireAuthorization(Roles.Policies.Player)
            .WithSummary("The contest's file size and duration limits, which the player's pre-flight check applies.");
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Store(
        JsonElement report, IOptions<AmvOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (Validate(report) is { } errors)
        {
            return Outcomes.Invalid(errors, title: "This is not a pre-flight report.");
        }

        var stored = new JsonObject
        {
            ["receivedAt"] = clock.GetUtcNow(),
            ["report"] = JsonNode.Parse(report.GetRawText()),
        };
        await ReplaceAsync(PathOf(options.Value), stored.ToJsonString(FileJson), ct);
        // What the player found changed was measured against the previous report.
        File.Delete(PreflightFacts.ChangedPathOf(options.Value));
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> StoreChanged(
        ChangedFiles changed, IOptions<AmvOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var seen = new HashSet<int>();
        foreach (var (file, i) in changed.Files.Select((f, i) => (f, i)))
        {
            // The JSON reader leaves a null item in a list of objects to the endpoint.
            if (file is null)
            {
                errors[$"files[{i}]"] = ["Required: an object with entryId and sizeBytes."];
                continue;
            }

            if (file.EntryId <= 0 || !seen.Add(file.EntryId))
            {
                errors[$"files[{i}].entryId"] = [file.EntryId <= 0 ? "An entry id is a whole number above 0." : "This finalist is already in the list."];
            }

            if (file.SizeBytes < 0)
            {
                errors[$"files[{i}].sizeBytes"] = ["A size is a whole number of bytes, 0 or more."];
            }

            if (file.Sha256 is { } sha && !PreflightFacts.IsSha256(sha))
            {
                errors[$"files[{i}].sha256"] = [PreflightFacts.Sha256Rule];
            }
        }

        if (errors.Count > 0)
        {
            return Outcomes.Invalid(errors, title: "This is not a list of changed files.");
        }

        await ReplaceAsync(PreflightFacts.ChangedPathOf(options.Value), JsonSerializer.Serialize(changed, PreflightFacts.Strict), ct);
        return TypedResults.NoContent();
    }

    /// <summary>Writes <paramref name="text"/> beside <paramref name="path"/>, then moves it over the previous file: a
    /// reader never sees half of one.</summary>
    private static async Task ReplaceAsync(string path, string text, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temporary, text, ct);
        File.Move(temporary, path, overwrite: true);
    }

    private static async Task<Results<Ok<StoredReport>, ProblemHttpResult>> Read(IOptions<AmvOptions> options, CancellationToken ct)
    {
        var path = PathOf(options.Value);
        if (!File.Exists(path))
        {
            return new Refusal(StatusCodes.Status404NotFound, "No pre-flight report yet.",
                "Run the player's pre-flight check (AmvScreening.Player preflight --server URL --api-key KEY --media DIR) on the player machine.").ToProblem();
        }

        await using var file = File.OpenRead(path);
        using var document = await JsonDocument.ParseAsync(file, cancellationToken: ct);
        var root = document.RootElement;
        return TypedResults.Ok(new StoredReport(root.GetProperty("receivedAt").GetDateTimeOffset(), root.GetProperty("report").Clone()));
    }

    /// <summary>The fields the consoles rely on: an object with a summary of counts and a list of entries, each with a
    /// status. The rest is the player's.</summary>
    private static Dictionary<string, string[]>? Validate(JsonElement report)
    {
        var errors = new Dictionary<string, string[]>();
        if (report.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["A pre-flight report is a JSON object."];
            return errors;
        }

        if (!report.TryGetProperty("summary", out var summary) || summary.ValueKind != JsonValueKind.Object)
        {
            errors["summary"] = ["Required: an object with total, ok, warnings and errors."];
        }
        else
        {
            foreach (var count in new[] { "total", "ok", "warnings", "errors" })
            {
                if (!summary.TryGetProperty(count, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var n) || n < 0)
                {
                    errors[$"summary.{count}"] = ["Required: a whole number, 0 or more."];
                }
            }
        }

        if (!report.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            errors["entries"] = ["Required: the list of checked finalists."];
        }
        else
        {
            var i = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("status", out var status)
                    || status.ValueKind != JsonValueKind.String || status.GetString() is not ("ok" or "warning" or "error"))
                {
                    errors[$"entries[{i}].status"] = ["Required: \"ok\", \"warning\" or \"error\"."];
                }
                else if (PreflightFacts.Problem(entry) is var (field, message))
                {
                    errors[$"entries[{i}].{field}"] = [message];
                }

                i++;
            }
        }

        return errors.Count > 0 ? errors : null;
    }

    internal static string PathOf(AmvOptions options) => Path.Combine(Path.GetFullPath(options.DataDirectory), FileName);
}
