using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Server.Infrastructure;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Preflight;

/// <summary>
/// What the latest pre-flight report found of each finalist's file, for the player's playlist: the verdict, the file's
/// SHA-256 and size, and its loudness. The report is the player's document; only these fields are read from it, and
/// they are checked when the report arrives (<see cref="Problem"/>), so a stored report never hands the player a
/// gain it cannot use.
/// </summary>
public sealed class PreflightFacts(IOptions<AmvOptions> options)
{
    /// <summary>What the player found changed since the report (<see cref="ChangedFiles"/>), kept beside it.</summary>
    public const string ChangedFileName = "preflight-changed.json";

    public const string Sha256Rule = "A SHA-256 is 64 lower-case hexadecimal digits.";

    /// <summary>The API's strict reading (no numbers as strings, no unknown fields, finite numbers only).</summary>
    internal static readonly JsonSerializerOptions Strict = CreateStrict();

    /// <summary>Each checked finalist's file by entry id; empty before any report.</summary>
    public async Task<IReadOnlyDictionary<int, CheckedFile>> GetAsync(CancellationToken ct = default)
    {
        var path = PreflightEndpoints.PathOf(options.Value);
        if (!File.Exists(path))
        {
            return new Dictionary<int, CheckedFile>();
        }

        await using var file = File.OpenRead(path);
        using var document = await JsonDocument.ParseAsync(file, cancellationToken: ct);
        var facts = new Dictionary<int, CheckedFile>();
        if (document.RootElement.TryGetProperty("report", out var report) && report.TryGetProperty("entries", out var entries))
        {
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.TryGetProperty("entryId", out var id) && id.TryGetInt32(out var entryId))
                {
                    facts[entryId] = Read(entry);
                }
            }
        }

        return facts;
    }

    /// <summary>The finalists whose file, as the player last found it at show start, is not the one the latest report
    /// checked; empty when the player has found none since that report arrived. Compared here, against the report the
    /// server holds now, so a list the player sent about an earlier report flags nothing a newer one covers.</summary>
    public async Task<IReadOnlyList<int>> GetChangedAsync(CancellationToken ct = default)
    {
        ChangedFiles? changed;
        try
        {
            await using var file = File.OpenRead(ChangedPathOf(options.Value));
            changed = await JsonSerializer.DeserializeAsync<ChangedFiles>(file, Strict, ct);
        }
        catch (FileNotFoundException)
        {
            return []; // none sent since the report arrived (a new report deletes the list)
        }

        var facts = await GetAsync(ct);
        return [.. (changed?.Files ?? [])
            .Where(f => facts.TryGetValue(f.EntryId, out var found) && found.Differs(f.SizeBytes, f.Sha256))
            .Select(f => f.EntryId).Order()];
    }

    internal static string ChangedPathOf(AmvOptions options) => Path.Combine(Path.GetFullPath(options.DataDirectory), ChangedFileName);

    /// <summary>The first field of a report's entry that the player could not use, with why; null when all are usable
    /// (or absent: an older player's report has none of them).</summary>
    public static (string Field, string Message)? Problem(JsonElement entry)
    {
        if (entry.TryGetProperty("sha256", out var sha) && sha.ValueKind != JsonValueKind.Null
            && (sha.ValueKind != JsonValueKind.String || !IsSha256(sha.GetString()!)))
        {
            return ("sha256", Sha256Rule);
        }

        if (entry.TryGetProperty("loudness", out var loudness) && loudness.ValueKind != JsonValueKind.Null)
        {
            try
            {
                if (loudness.Deserialize<LoudnessMeasurement>(Strict) is not { } m || !Loudness.IsPlausible(m))
                {
                    return ("loudness", "Not a loudness measurement: integratedLufs -100…10, rangeLu 0…100, truePeakDbtp -200…20.");
                }
            }
            catch (JsonException)
            {
                return ("loudness", "Required: an object with the numbers integratedLufs, rangeLu and truePeakDbtp.");
            }
        }

        return null;
    }

    private static CheckedFile Read(JsonElement entry) => new(
        entry.GetProperty("status").GetString()!,
        entry.TryGetProperty("sha256", out var sha) && sha.ValueKind == JsonValueKind.String ? sha.GetString() : null,
        entry.TryGetProperty("sizeBytes", out var size) && size.TryGetInt64(out var bytes) ? bytes : null,
        entry.TryGetProperty("loudness", out var loudness) && loudness.ValueKind == JsonValueKind.Object
            ? loudness.Deserialize<LoudnessMeasurement>(Strict)
            : null);

    private static JsonSerializerOptions CreateStrict()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ErrorHandling.Configure(options);
        return options;
    }

    public static bool IsSha256(string text) => text.Length == 64 && text.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
