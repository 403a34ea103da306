using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;

namespace AmvScreening.Audience.Demo;

/// <summary>The demo's audience: phones join with the room code and rate every entry of the category that takes votes;
/// then, as the coordinator, it closes that category's voting, reveals its winner and prints the tally. A category
/// closed by an earlier run keeps its results.</summary>
public static class DemoAudience
{
    public const int Voters = 40;

    public static async Task RunAsync(HttpClient http, CoordinatorSession staff, string roomCode, int categoryNumber, TextWriter output, CancellationToken ct)
    {
        var voting = await CoordinatorSession.GetPublicAsync<VotingSnapshot>(http, "/api/voting", ct);
        if (voting.Categories.ElementAtOrDefault(categoryNumber - 1) is not { } category)
        {
            throw Failed($"the contest has no category {categoryNumber}");
        }

        if (category.Status == CategoryVotingStatus.Closed)
        {
            output.WriteLine($"Voting in {category.Name} closed in an earlier run: its results stand.");
        }
        else if (category.VotableEntries.Count == 0)
        {
            throw Failed($"no entry of {category.Name} takes votes yet: the player opens them as their videos play");
        }
        else
        {
            await VoteAsync(category);
            await staff.PostAsync<VotingSnapshot>($"/api/voting/categories/{category.CategoryId}/close", ct);
        }

        var tally = await staff.GetAsync<Tally>("/api/tallies", ct);
        foreach (var row in tally.Categories.Single(t => t.CategoryId == category.CategoryId).Rows)
        {
            output.WriteLine($"  #{row.Rank}  {row.Mean:0.00}  ({row.Count} votes)  {row.Title}");
        }

        using var revealed = await staff.SendAsync(HttpMethod.Post, $"/api/results/reveal/categories/{category.CategoryId}", ct);
        if (!revealed.IsSuccessStatusCode)
        {
            // A tie at the top is never decided for the coordinator: say so and leave it to the console.
            throw Failed($"the reveal was refused: {await revealed.Content.ReadAsStringAsync(ct)}");
        }

        var results = await CoordinatorSession.GetPublicAsync<PublicResults>(http, "/api/results", ct);
        var winner = results.Categories.Single(r => r.CategoryId == category.CategoryId).Winner;
        output.WriteLine($"Revealed to every phone: {category.Name} goes to \"{winner.Title}\" by {string.Join(", ", winner.Editors)}.");

        async Task VoteAsync(CategoryVoting category)
        {
            // Each entry has its own appeal, so the room agrees on a winner; each phone adds its own taste.
            var random = new Random(2023);
            var appeal = category.VotableEntries.ToDictionary(e => e.Id, _ => voting.ScoreMin + random.NextDouble() * (voting.ScoreMax - voting.ScoreMin));
            var cast = 0;
            for (var i = 0; i < Voters; i++)
            {
                using var join = await http.PostAsJsonAsync("/api/voters", new { roomCode }, ct);
                join.EnsureSuccessStatusCode();
                var token = (await join.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
                foreach (var entry in category.VotableEntries)
                {
                    var score = Math.Clamp((int)Math.Round(appeal[entry.Id] + random.NextDouble() * 2 - 1), voting.ScoreMin, voting.ScoreMax);
                    using var vote = new HttpRequestMessage(HttpMethod.Put, $"/api/votes/{entry.Id}") { Content = JsonContent.Create(new { score }) };
                    vote.Headers.Add("X-Voter-Token", token);
                    using var answer = await http.SendAsync(vote, ct);
                    answer.EnsureSuccessStatusCode();
                    cast++;
                }
            }

            output.WriteLine($"Simulated audience: {Voters} phones cast {cast} votes in {category.Name}.");
        }
    }

    private static ApiException Failed(string message) => new(message);
}
