using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Server.Data;
using AmvScreening.Tests.Support;
using Dapper;

namespace AmvScreening.Tests.Entries;

/// <summary>
/// A real server with a contest open for entries, on a clock the test moves: four categories with descriptions,
/// entries open 2026-07-01, deadline 2026-08-15 23:59 in Los Angeles (06:59 UTC the next day), premiered after
/// 2025-09-01, at most 3 entries per person and 1 per category. The clock starts at 2026-08-01 12:00 UTC. On the system's
/// clock instead (for the background services that wait on it: the checks queue), entries opened a day ago and the
/// deadline is in 30 days.
/// </summary>
internal sealed class EntryPortalRig : IAsyncDisposable
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    public static readonly DateTimeOffset Deadline = new(2026, 8, 16, 6, 59, 0, TimeSpan.Zero);

    private readonly ManualClock? _clock;

    private EntryPortalRig(AmvServer server, ManualClock? clock, IReadOnlyList<int> categories)
    {
        Server = server;
        _clock = clock;
        Categories = categories;
        Anonymous = server.CreateAnonymousClient();
    }

    public AmvServer Server { get; }
    public ManualClock Clock => _clock ?? throw new InvalidOperationException("This rig runs on the system's clock.");
    public IReadOnlyList<int> Categories { get; }
    public HttpClient Anonymous { get; }

    public static async Task<EntryPortalRig> StartAsync(IDictionary<string, string?>? settings = null, bool systemClock = false)
    {
        var clock = systemClock ? null : new ManualClock(new DateTimeOffset(2026, 8, 1, 12, 0, 0, TimeSpan.Zero));
        var all = new Dictionary<string, string?> { ["Amv:Entries:SubmitBurst"] = "1000", ["Amv:Entries:ReadBurst"] = "10000" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var server = new AmvServer(all, clock: clock);
        var categories = new List<int>();
        await using (var connection = await server.Services.GetRequiredService<Db>().OpenAsync())
        {
            foreach (var (name, description, i) in new[]
            {
                ("Upbeat/Fun", "Videos that make you smile or dance.", 1),
                ("Drama/Sentiments", "Stories that move you.", 2),
                ("Trailers", "A trailer for a series, real or imagined.", 3),
                ("Melting Pot", "Anything that fits no other category.", 4),
            })
            {
                categories.Add(await connection.ExecuteScalarAsync<int>(
                    "INSERT INTO categories (position, name, description) VALUES (@i, @name, @description) RETURNING id", new { i, name, description }));
            }

            await connection.ExecuteAsync("""
                UPDATE contest SET name = 'Kumoricon AMV Contest', time_zone = 'America/Los_Angeles',
                       entries_open_at = '2026-07-01T07:00:00.0000000Z', entry_deadline = '2026-08-16T06:59:00.0000000Z',
                       premiered_after = '2025-09-01', max_entries_per_person = 3, max_entries_per_person_per_category = 1
                """);
            if (systemClock)
            {
                var now = DateTimeOffset.UtcNow;
                await connection.ExecuteAsync("UPDATE contest SET entries_open_at = @opens, entry_deadline = @deadline", new
                {
                    opens = now.AddDays(-1).UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    deadline = now.AddDays(30).UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                });
            }
        }

        return new EntryPortalRig(server, clock, categories);
    }

    /// <summary>A valid submission form, as the portal's page sends it.</summary>
    public JsonObject Form(int category = 0, string email = "ann@example.org", string title = "Sakura Drive") => new()
    {
        ["categoryId"] = Categories[category],
        ["title"] = title,
        ["editors"] = new JsonArray("Ann", "Bo"),
        ["contactEmail"] = email,
        ["musicArtist"] = "Perfume",
        ["musicTitle"] = "Polyrhythm",
        ["sources"] = new JsonArray("Initial D", "Wangan Midnight"),
        ["premieredOn"] = "2026-03-14",
        ["contentNote"] = "Flashing lights at 2:10",
        ["permission"] = true,
    };

    public async Task<(HttpResponseMessage Response, JsonElement Body)> SubmitAsync(JsonNode form)
    {
        var response = await Anonymous.PostAsync("/api/enter/submissions", new StringContent(form.ToJsonString(), System.Text.Encoding.UTF8, "application/json"))
            .WaitAsync(Bound);
        var text = await response.Content.ReadAsStringAsync().WaitAsync(Bound);
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Submits a form that must be accepted; the private page's secret.</summary>
    public async Task<string> SubmitOkAsync(JsonNode form)
    {
        var (response, body) = await SubmitAsync(form);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return body.GetProperty("secret").GetString()!;
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> GetEntryAsync(string secret)
    {
        var response = await Anonymous.GetAsync($"/api/enter/entries/{Uri.EscapeDataString(secret)}").WaitAsync(Bound);
        var text = await response.Content.ReadAsStringAsync().WaitAsync(Bound);
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task ExecuteAsync(string sql, object? args = null)
    {
        await using var connection = await Server.Services.GetRequiredService<Db>().OpenAsync();
        await connection.ExecuteAsync(sql, args);
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var connection = await Server.Services.GetRequiredService<Db>().OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    public async ValueTask DisposeAsync()
    {
        Anonymous.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>The refusal's rule (<c>reason</c>) and the fields it names, comma-separated.</summary>
    public static (string? Rule, string Fields) RefusalOf(JsonElement problem) => (
        problem.TryGetProperty("reason", out var reason) ? reason.GetString() : null,
        problem.TryGetProperty("errors", out var errors) ? string.Join(",", errors.EnumerateObject().Select(p => p.Name)) : "");

    public static Task<JsonElement> JsonAsync(HttpClient client, string path) => client.GetFromJsonAsync<JsonElement>(path).WaitAsync(Bound);
}
