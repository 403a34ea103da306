using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;

namespace AmvScreening.Player.Preflight;

/// <summary>What to check: the contest's name, its limits, and its finalists in show order (disqualified ones left
/// out, as the show leaves them out).</summary>
public sealed record PreflightPlan(string ContestName, PreflightLimits Limits, IReadOnlyList<PreflightItem> Items)
{
    /// <summary>The server's playlist path (GET, player API key): contest name, room, categories with their finalists
    /// and video paths in show order.</summary>
    public const string PlaylistPath = "/api/player/show";

    /// <summary>The contest's limits for the player (GET, player API key).</summary>
    public const string LimitsPath = "/api/preflight/limits";

    /// <summary>Where the report goes (POST, player API key) and where coordinators read it (GET).</summary>
    public const string ReportPath = "/api/preflight";

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Reads the plan from the server: the playlist and the limits.</summary>
    /// <exception cref="PreflightApiKeyException">The server refused the API key.</exception>
    /// <exception cref="PreflightInputException">The server could not be reached or answered something else.</exception>
    public static async Task<PreflightPlan> FromServerAsync(HttpClient server, CancellationToken ct = default)
    {
        var show = await GetAsync<PlaylistDto>(server, PlaylistPath, ct);
        var limits = await GetAsync<PreflightLimits>(server, LimitsPath, ct);
        var items = (show.Categories ?? [])
            .SelectMany(c => (c.Entries ?? []).Select((e, i) => new PreflightItem(e.Entry.Id, c.Name, i + 1, e.Entry.Title, e.VideoPath)))
            .ToList();
        return new PreflightPlan(show.ContestName, limits, items);
    }

    /// <summary>Reads the plan from a JSON contest file (docs/import-formats.md): contest.name, contest.limits,
    /// contest.limits.loudnessTargetLufs, categories, and each finalist's category, order, title, file and disqualified; nothing else is read.</summary>
    /// <exception cref="PreflightInputException">The file is missing or not a contest file.</exception>
    public static PreflightPlan FromContestFile(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new PreflightInputException($"Cannot read the contest file {path}: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            PreflightInputException Invalid(string what) => new($"{path} is not a contest file (docs/import-formats.md): {what}.");
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("contest", out var contest) || contest.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("no \"contest\" object");
            }

            var name = Text(contest, "name") ?? throw Invalid("no contest.name");
            var defaults = new PreflightLimits();
            var limits = contest.TryGetProperty("limits", out var l) && l.ValueKind == JsonValueKind.Object
                ? new PreflightLimits(Number(l, "maxFileMegabytes") ?? defaults.MaxFileMegabytes, Number(l, "maxDurationSeconds") ?? defaults.MaxDurationSeconds)
                : defaults;
            if (l.ValueKind == JsonValueKind.Object && l.TryGetProperty("loudnessTargetLufs", out var target))
            {
                // The server's rule (the import refuses the same): a whole number of LUFS within Loudness' range.
                limits = target.ValueKind == JsonValueKind.Number && target.TryGetInt32(out var lufs) && lufs is >= Loudness.MinTargetLufs and <= Loudness.MaxTargetLufs
                    ? limits with { LoudnessTargetLufs = lufs }
                    : throw Invalid($"contest.limits.loudnessTargetLufs must be a whole number of LUFS from {Loudness.MinTargetLufs} to {Loudness.MaxTargetLufs}");
            }

            if (!root.TryGetProperty("categories", out var categories) || categories.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("no \"categories\" list");
            }

            var order = categories.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.String ? c.GetString()!.Trim() : "").ToList();
            var items = new List<(int Category, PreflightItem Item)>();
            if (root.TryGetProperty("finalists", out var finalists) && finalists.ValueKind == JsonValueKind.Array)
            {
                foreach (var finalist in finalists.EnumerateArray())
                {
                    if (finalist.ValueKind != JsonValueKind.Object
                        || finalist.TryGetProperty("disqualified", out var dq) && dq.ValueKind == JsonValueKind.True)
                    {
                        continue;
                    }

                    var category = Text(finalist, "category") ?? "";
                    var index = order.FindIndex(c => string.Equals(c, category, StringComparison.OrdinalIgnoreCase));
                    items.Add((index < 0 ? int.MaxValue : index, new PreflightItem(
                        null, index < 0 ? category : order[index], Number(finalist, "order") ?? 0, Text(finalist, "title") ?? "(no title)", Text(finalist, "file"))));
                }
            }

            return new PreflightPlan(name, limits, items.OrderBy(i => i.Category).ThenBy(i => i.Item.Order).Select(i => i.Item).ToList());
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Trim() is { Length: > 0 } text ? text : null;

    private static int? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static async Task<T> GetAsync<T>(HttpClient server, string path, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await server.GetAsync(path, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new PreflightInputException($"The server at {server.BaseAddress} cannot be reached ({e.Message}).");
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new PreflightApiKeyException($"The server at {server.BaseAddress} refused the player's API key ({(int)response.StatusCode} on {path}).");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new PreflightInputException($"The server answered {(int)response.StatusCode} {response.ReasonPhrase} to GET {path}" +
                    (response.StatusCode == HttpStatusCode.NotFound ? " (an older server? Use --contest FILE.json instead)." : "."));
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<T>(Web, ct) ?? throw new JsonException("empty");
            }
            catch (JsonException e)
            {
                throw new PreflightInputException($"The server's answer to GET {path} is not what the player expects: {e.Message}");
            }
        }
    }

    // The parts of GET /api/player/show (PlayerShow in protocol/PlayerContract.cs) the check needs.
    private sealed record PlaylistDto(string ContestName, List<PlaylistCategoryDto>? Categories);

    private sealed record PlaylistCategoryDto(string Name, List<PlaylistEntryDto>? Entries);

    private sealed record PlaylistEntryDto(EntrySummaryPart Entry, string? VideoPath);

    private sealed record EntrySummaryPart(int Id, string Title);
}

/// <summary>The finalists could not be read (server unreachable or answering something else, contest file unreadable).</summary>
public sealed class PreflightInputException(string message) : Exception(message);

/// <summary>The server refused the player's API key.</summary>
public sealed class PreflightApiKeyException(string message) : Exception(message);
