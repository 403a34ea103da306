using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Server.Data;
using AmvScreening.Server.Voting;
using Dapper;

namespace AmvScreening.Tests.Support;

/// <summary>
/// Puts a contest straight into a test server's database (the import API is not needed for that) and votes on it
/// through the real voting API: each ballot from its own new voter.
/// </summary>
public static class TestContest
{
    /// <summary>A seeded category and its entries' ids, in show order.</summary>
    public sealed record Category(int Id, IReadOnlyList<int> Entries);

    /// <summary>Categories "Category 1"… with entries "Entry c.e" by "Editor c.e"; the server then loads them.</summary>
    public static async Task<IReadOnlyList<Category>> SeedAsync(AmvServer server, int categories = 2, int entriesPerCategory = 3)
    {
        var seeded = new List<Category>();
        await using (var connection = await server.Services.GetRequiredService<Db>().OpenAsync())
        {
            for (var c = 1; c <= categories; c++)
            {
                var categoryId = await connection.ExecuteScalarAsync<int>(
                    "INSERT INTO categories (position, name) VALUES (@c, 'Category ' || @c) RETURNING id", new { c });
                var entries = new List<int>();
                for (var e = 1; e <= entriesPerCategory; e++)
                {
                    entries.Add(await connection.ExecuteScalarAsync<int>(
                        """
                        INSERT INTO entries (category_id, position, title, editors, music_artist, music_title)
                        VALUES (@categoryId, @e, 'Entry ' || @c || '.' || @e, json_array('Editor ' || @c || '.' || @e), 'Artist', 'Song')
                        RETURNING id
                        """,
                        new { categoryId, c, e }));
                }

                seeded.Add(new Category(categoryId, entries));
            }
        }

        await server.Services.GetRequiredService<VotingState>().LoadAsync();
        return seeded;
    }

    /// <summary>Runs SQL on the server's database, then has the server reload the contest.</summary>
    public static async Task ExecuteAsync(AmvServer server, string sql, object? args = null)
    {
        await using (var connection = await server.Services.GetRequiredService<Db>().OpenAsync())
        {
            await connection.ExecuteAsync(sql, args);
        }

        await server.Services.GetRequiredService<VotingState>().LoadAsync();
    }

    /// <summary>The contest's Best In Show method ("ballot" or "top-score") and double-win policy.</summary>
    public static Task SetBestInShowAsync(AmvServer server, string method, bool keepsCategoryPrize) => ExecuteAsync(
        server,
        "UPDATE contest SET best_in_show_method = @method, best_in_show_keeps_category_prize = @keepsCategoryPrize WHERE id = 1",
        new { method, keepsCategoryPrize });

    /// <summary>Opens, closes or returns to auto a category's voting (coordinator).</summary>
    public static async Task SetVotingAsync(HttpClient coordinator, int categoryId, string action) =>
        (await coordinator.PostAsync($"/api/voting/categories/{categoryId}/{action}", null)).EnsureSuccessStatusCode();

    /// <summary>Opens or closes the Best In Show ballot (coordinator).</summary>
    public static async Task SetBallotAsync(HttpClient coordinator, string action) =>
        (await coordinator.PostAsync($"/api/voting/best-in-show/{action}", null)).EnsureSuccessStatusCode();

    /// <summary>Each score from a new voter; returns the voters' tokens.</summary>
    public static async Task<IReadOnlyList<string>> VoteAsync(AmvServer server, HttpClient coordinator, int entryId, params int[] scores)
    {
        var tokens = new List<string>();
        foreach (var score in scores)
        {
            tokens.Add(await AsNewVoterAsync(server, coordinator, HttpMethod.Put, $"/api/votes/{entryId}", new { score }));
        }

        return tokens;
    }

    /// <summary>Best In Show picks of <paramref name="entryId"/>, each from a new voter; returns their tokens.</summary>
    public static async Task<IReadOnlyList<string>> PickAsync(AmvServer server, HttpClient coordinator, int entryId, int voters = 1)
    {
        var tokens = new List<string>();
        for (var i = 0; i < voters; i++)
        {
            tokens.Add(await AsNewVoterAsync(server, coordinator, HttpMethod.Put, "/api/best-in-show", new { entryId }));
        }

        return tokens;
    }

    private static async Task<string> AsNewVoterAsync(AmvServer server, HttpClient coordinator, HttpMethod method, string path, object body)
    {
        var room = await coordinator.GetFromJsonAsync<JsonElement>("/api/room");
        using var client = server.CreateAnonymousClient();
        var voter = await VoterClient.JoinAsync(client, room.GetProperty("code").GetString()!);
        var response = await voter.SendAsync(method, path, JsonContent.Create(body));
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return voter.Token;
    }
}
