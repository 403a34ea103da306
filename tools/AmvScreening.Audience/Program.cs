using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;

// Usage: AmvScreening.Audience --server URL --password COORDINATOR_PASSWORD [--voters N] [--category N]
// Phones join with the room code and rate every entry of the category (its Nth, from 1) that takes votes; then, as the
// coordinator, it closes that category's voting, reveals its winner and prints the tally.
var server = new Uri(Option("--server") ?? throw Usage("--server is required"));
var password = Option("--password") ?? throw Usage("--password is required");
var voters = int.TryParse(Option("--voters"), out var v) && v > 0 ? v : 40;
var categoryNumber = int.TryParse(Option("--category"), out var c) && c > 0 ? c : 1;
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
ShowJson.Configure(json);

using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
var login = await http.PostAsJsonAsync("/api/auth/login", new { role = "coordinator", password });
if (!login.IsSuccessStatusCode)
{
    return Fail($"signing in as coordinator failed ({(int)login.StatusCode})");
}

var cookie = login.Headers.GetValues("Set-Cookie").First().Split(';')[0];
var room = await StaffAsync<RoomInfo>(HttpMethod.Get, "/api/room");
var voting = (await http.GetFromJsonAsync<VotingSnapshot>("/api/voting", json))!;
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
var revealed = await http.SendAsync(reveal);
if (!revealed.IsSuccessStatusCode)
{
    // A tie at the top is never decided for the coordinator: say so and leave it to the console.
    return Fail($"the reveal was refused: {await revealed.Content.ReadAsStringAsync()}");
}

var results = (await http.GetFromJsonAsync<PublicResults>("/api/results", json))!;
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
        var join = await http.PostAsJsonAsync("/api/voters", new { roomCode = room.Code });
        join.EnsureSuccessStatusCode();
        var token = (await join.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        foreach (var entry in category.VotableEntries)
        {
            var score = Math.Clamp((int)Math.Round(appeal[entry.Id] + random.NextDouble() * 2 - 1), voting.ScoreMin, voting.ScoreMax);
            using var vote = new HttpRequestMessage(HttpMethod.Put, $"/api/votes/{entry.Id}") { Content = JsonContent.Create(new { score }) };
            vote.Headers.Add("X-Voter-Token", token);
            (await http.SendAsync(vote)).EnsureSuccessStatusCode();
            cast++;
        }
    }

    Console.WriteLine($"Simulated audience: {voters} phones cast {cast} votes in {category.Name}.");
}

async Task<T> StaffAsync<T>(HttpMethod method, string path)
{
    using var request = new HttpRequestMessage(method, path);
    request.Headers.Add("Cookie", cookie);
    var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<T>(json))!;
}

string? Option(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

static ArgumentException Usage(string message) =>
    new($"{message}. Usage: AmvScreening.Audience --server URL --password COORDINATOR_PASSWORD [--voters N] [--category N]");

static int Fail(string message)
{
    Console.Error.WriteLine($"audience: {message}");
    return 1;
}
