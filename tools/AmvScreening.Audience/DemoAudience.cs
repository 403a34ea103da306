using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;

namespace AmvScreening.Audience;

/// <summary>The demo's audience (./amv demo): phones join with the room code and rate every entry of the category that
/// takes votes; then, as the coordinator, it closes that category's voting, reveals its winner and prints the tally.</summary>
public static class DemoAudience
{
    public static async Task<int> RunAsync(Uri server, string password, int voters, int categoryNumber, CancellationToken ct)
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ShowJson.Configure(json);

        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        var login = await http.PostAsJsonAsync("/api/auth/login", new { role = "coordinator", password }, ct);
        if (!login.IsSuccessStatusCode)
        {
            return Fail($"signing in as coordinator failed ({(int)login.StatusCode})");
        }

        var cookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var room = await StaffAsync<RoomInfo>(HttpMethod.Get, "/api/room");
        var voting = (await http.GetFromJsonAsync<VotingSnapshot>("/api/voting", json, ct))!;
        if (voting.Categories.ElementAtOrDefault(categoryNumber - 1) is not { } category)
        {
            return Fail($"the contest has no category {categoryNumber}");
        }

        if (category.Status == CategoryVotingStatus.Closed)
        {
            Console.WriteLine($"Voting in {category.Name} closed in an earlier run: its results stand.");
        }
        else if (category.VotableEntries.Count == 0)
        {
            return Fail($"no entry of {category.Name} takes votes yet: the player opens them as their videos play");
        }
        else
        {
            await VoteAsync(category);
            await StaffAsync<VotingSnapshot>(HttpMethod.Post, $"/api/voting/categories/{category.CategoryId}/close");
        }

        var tally = await StaffAsync<Tally>(HttpMethod.Get, "/api/tallies");
        foreach (var row in tally.Categories.Single(t => t.CategoryId == category.CategoryId).Rows)
        {
            Console.WriteLine($"  #{row.Rank}  {row.Mean:0.00}  ({row.Count} votes)  {row.Title}");
        }

        using var reveal = new HttpRequestMessage(HttpMethod.Post, $"/api/results/reveal/categories/{category.CategoryId}");
        reveal.Headers.Add("Cookie", cookie);
        var revealed = await http.SendAsync(reveal, ct);
        if (!revealed.IsSuccessStatusCode)
        {
            // A tie at the top is never decided for the coordinator: say so and leave it to the console.
            return Fail($"the reveal was refused: {await revealed.Content.ReadAsStringAsync(ct)}");
        }

        var results = (await http.GetFromJsonAsync<PublicResults>("/api/results", json, ct))!;
        var winner = results.Categories.Single(r => r.CategoryId == category.CategoryId).Winner;
        Console.WriteLine($"Revealed to every phone: {category.Name} goes to \"{winner.Title}\" by {string.Join(", ", winner.Editors)}.");
        return 0;

        async Task VoteAsync(CategoryVoting category)
        {
            // Each entry has its own appeal, so the room agrees on a winner; each phone adds its own taste.
            var random = new Random(2023);
            var appeal = category.VotableEntries.ToDictionary(e => e.Id, _ => voting.ScoreMin + random.NextDouble() * (voting.ScoreMax - voting.ScoreMin));
            var cast = 0;
            for (var i = 0; i < voters; i++)
            {
                var join = await http.PostAsJsonAsync("/api/voters", new { roomCode = room.Code }, ct);
                join.EnsureSuccessStatusCode();
                var token = (await join.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
                foreach (var entry in category.VotableEntries)
                {
                    var score = Math.Clamp((int)Math.Round(appeal[entry.Id] + random.NextDouble() * 2 - 1), voting.ScoreMin, voting.ScoreMax);
                    using var vote = new HttpRequestMessage(HttpMethod.Put, $"/api/votes/{entry.Id}") { Content = JsonContent.Create(new { score }) };
                    vote.Headers.Add("X-Voter-Token", token);
                    (await http.SendAsync(vote, ct)).EnsureSuccessStatusCode();
                    cast++;
                }
            }

            Console.WriteLine($"Simulated audience: {voters} phones cast {cast} votes in {category.Name}.");
        }

        async Task<T> StaffAsync<T>(HttpMethod method, string path)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Add("Cookie", cookie);
            var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<T>(json, ct))!;
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"audience: {message}");
        return 1;
    }
}
