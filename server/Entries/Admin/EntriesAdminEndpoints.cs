using System.Globalization;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AmvScreening.Server.Entries.Admin;

/// <summary>
/// The coordinator's view of the entries (docs/entries.md): every entry with its person, contact email, category, file
/// check, repeat flag and withdrawal; the CSV export; clearing a repeat flag; checking a file again; and the list of
/// previous finalists the entries are matched against. Coordinators only: contact emails appear nowhere else.
/// </summary>
public static class EntriesAdminEndpoints
{
    public sealed record PreviousFinalists(int Count, IReadOnlyList<PreviousFinalist> Finalists);

    public sealed record PreviousImported(int Imported, int Flagged);

    private const string NotImported = "The previous finalists were not imported.";

    public static IServiceCollection AddEntriesAdmin(this IServiceCollection services) =>
        services.AddSingleton<EntriesAdminStore>().AddHostedService<RepeatFlagger>();

    public static IEndpointRouteBuilder MapEntriesAdmin(this IEndpointRouteBuilder app)
    {
        var entries = app.MapGroup("/api/entries").WithTags("Entries (coordinator)").RequireAuthorization(Roles.Policies.Coordinator);
        entries.MapGet("/", async (EntriesAdminStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)))
            .WithSummary("Every entry with its person, contact email, category, file check, repeat flag and withdrawal.");
        entries.MapGet("/export.csv", async (EntriesAdminStore store, CancellationToken ct) =>
                TypedResults.File(EntriesCsv.Write(await store.ListAsync(ct)), CsvFiles.ContentType, "entries.csv"))
            .WithSummary("The entries as a CSV file (contact emails included).");
        entries.MapPost("/{id:long}/clear-repeat", async Task<Results<NoContent, NotFound>> (long id, EntriesAdminStore store, CancellationToken ct) =>
                await store.ClearRepeatAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("The coordinator reviewed a likely repeat: not a previous finalist. 404 when the entry is unknown or not flagged.");
        entries.MapPost("/{id:long}/recheck", async Task<Results<NoContent, NotFound>> (long id, EntriesAdminStore store, CancellationToken ct) =>
                await store.RecheckAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithSummary("Checks the entry's file again (after the contest's limits changed). 404 when it has no checked file.");

        var previous = app.MapGroup("/api/previous-finalists").WithTags("Entries (coordinator)").RequireAuthorization(Roles.Policies.Coordinator);
        previous.MapGet("/", async (EntriesAdminStore store, CancellationToken ct) =>
            {
                var list = await store.PreviousAsync(ct);
                return TypedResults.Ok(new PreviousFinalists(list.Count, list));
            })
            .WithSummary("The imported list of earlier contests' finalists.");
        previous.MapPut("/", Import)
            .WithSummary("Replaces the list of previous finalists (text/csv with title,editors,year, or application/json) and flags likely repeats again.");
        return app;
    }

    private static async Task<Results<Ok<PreviousImported>, ProblemHttpResult>> Import(HttpRequest request, EntriesAdminStore store, CancellationToken ct)
    {
        bool? json = TextFiles.MediaType(request) switch
        {
            "application/json" => true,
            "text/csv" => false,
            _ => null,
        };
        if (json is null)
        {
            return new Refusal(StatusCodes.Status415UnsupportedMediaType, "Unsupported file type.",
                "Send the list as text/csv (title,editors,year) or application/json.").ToProblem();
        }

        if (await TextFiles.ReadUtf8Async(request, ct) is not { } text)
        {
            return Outcomes.Invalid("body", TextFiles.NotUtf8, NotImported);
        }

        var (finalists, errors) = PreviousFinalistsFile.Read(text, json.Value);
        if (errors.Count > 0)
        {
            return Outcomes.Invalid(errors, NotImported, string.Create(CultureInfo.InvariantCulture, $"{errors.Count} problem(s) found; nothing was changed."));
        }

        return TypedResults.Ok(new PreviousImported(finalists.Count, await store.ReplacePreviousAsync(finalists, ct)));
    }
}

/// <summary>The entries CSV (<see cref="CsvFiles"/>: formula-safe cells).</summary>
public static class EntriesCsv
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "id", "category", "title", "editors", "contact_email", "music_artist", "music_title", "submitted_at", "withdrawn_at",
        "file_name", "file_bytes", "check", "check_message", "duration_seconds", "loudness_lufs", "repeat_of", "repeat_cleared", "outcome",
    ];

    public static byte[] Write(IEnumerable<EntryRow> entries) => CsvFiles.Write(entries
        .Select(e => (IEnumerable<string?>)
        [
            Number(e.Id), e.Category, e.Title, string.Join(" | ", e.Editors), e.ContactEmail, e.MusicArtist, e.MusicTitle, e.SubmittedAt,
            e.WithdrawnAt, e.FileName, e.FileBytes is { } b ? Number(b) : null, e.CheckState, e.CheckMessage,
            e.DurationSeconds?.ToString("0.###", CultureInfo.InvariantCulture), e.IntegratedLufs?.ToString("0.0", CultureInfo.InvariantCulture),
            e.RepeatOf, e.RepeatCleared ? "yes" : "", e.Outcome,
        ])
        .Prepend(Columns));

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Flags new entries that look like previous finalists, a few seconds after they are submitted.</summary>
public sealed class RepeatFlagger(EntriesAdminStore store, TimeProvider clock, ILogger<RepeatFlagger> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var after = 0L; // at start every entry not cleared is matched again
        using var timer = new PeriodicTimer(Every, clock);
        do
        {
            try
            {
                after = await store.FlagNewAsync(after, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Flagging likely repeats failed; tried again shortly.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
