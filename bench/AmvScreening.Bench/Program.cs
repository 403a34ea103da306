using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Audience;
using AmvScreening.Bench;
using AmvScreening.Protocol;
using AmvScreening.Server.Voting;
using AmvScreening.Tests.Support;
using Microsoft.Data.Sqlite;

// A burst of votes from thousands of distinct voters over real HTTP on loopback, against the server run as its own
// process with its default settings (synchronous=FULL, group commit). Prints votes per second and acknowledgement
// latency. Usage: bench [--voters N] [--votes-per-voter K] [--concurrency C]
// `bench fanout` measures the show's pushes to a hall of phones instead (FanOut.cs); `bench upload` an entry's
// resumable upload (UploadBench.cs).
var votersOption = BenchCommandLine.Count("--voters", 4000, "How many voters join (each from its own phone)");
var votesOption = BenchCommandLine.Count("--votes-per-voter", 5, "How many different entries each voter rates");
var concurrencyOption = BenchCommandLine.Count("--concurrency", 64, "How many requests are in flight at once");
var command = new RootCommand(
    "Vote burst benchmark: the server as its own process, thousands of voters over HTTP on loopback; prints votes per " +
    "second and acknowledgement latency (docs/benchmarks.md).")
{
    votersOption, votesOption, concurrencyOption,
};
command.SetAction(result => BurstAsync(result.GetValue(votersOption), result.GetValue(votesOption), result.GetValue(concurrencyOption)));

var phonesOption = new Option<int[]>("--phones")
{
    Description = "The hall sizes, in turn (phones stay connected from one to the next)",
    HelpName = "N,N,...",
    DefaultValueFactory = _ => [1000, 5000, 10000],
    CustomParser = r =>
    {
        var parts = r.Tokens.Single().Value.Split(',');
        var halls = parts.Select(p => int.TryParse(p, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0).ToArray();
        if (halls.Any(n => n < 1) || halls.Zip(halls.Skip(1)).Any(p => p.Second < p.First))
        {
            r.AddError($"--phones wants whole numbers from 1, growing, separated by commas, not '{r.Tokens.Single().Value}'.");
        }

        return halls;
    },
};
var videosOption = BenchCommandLine.Count("--videos", 7, "How many finalists the player shows to each hall, in show order (the sample has 21)");
var fanOut = new Command("fanout", "Show fan-out benchmark: thousands of phones on the show hub; times the player's reports and counts the bytes each phone receives per video start (docs/benchmarks.md).")
{
    phonesOption, videosOption,
};
fanOut.SetAction(result => FanOut.RunAsync(result.GetValue(phonesOption)!, result.GetValue(videosOption)));
command.Subcommands.Add(fanOut);

var megabytesOption = BenchCommandLine.Count("--megabytes", 330, "The file's size in MB (of 1,048,576 bytes)");
var chunkOption = BenchCommandLine.Count("--chunk-megabytes", 8, "Bytes per PATCH request, in MiB (the entry page sends 8)");
var upload = new Command("upload", "Upload benchmark: an entry's video sent with the tus protocol on loopback; prints the throughput and the server's memory while receiving (docs/benchmarks.md).")
{
    megabytesOption, chunkOption,
};
upload.SetAction(result => UploadBench.RunAsync(result.GetValue(megabytesOption), result.GetValue(chunkOption)));
command.Subcommands.Add(upload);
return await BenchCommandLine.RunAsync(command, args);

static async Task<int> BurstAsync(int voters, int votesPerVoter, int concurrency)
{
    var data = Directory.CreateTempSubdirectory("amv-bench-").FullName;
    try
    {
        await using var server = await BenchServer.StartAsync(data);

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false })
        {
            BaseAddress = server.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

        // Set-up: open every category and read the room code, as a coordinator.
        var staff = await CoordinatorSession.SignInAsync(http, BenchServer.Password, CancellationToken.None);
        var snapshot = await CoordinatorSession.GetPublicAsync<VotingSnapshot>(http, "/api/voting", CancellationToken.None);
        foreach (var category in snapshot.Categories)
        {
            await staff.PostAsync<VotingSnapshot>($"/api/voting/categories/{category.CategoryId}/open", CancellationToken.None);
        }

        var entries = (await CoordinatorSession.GetPublicAsync<VotingSnapshot>(http, "/api/voting", CancellationToken.None))
            .Categories.SelectMany(c => c.VotableEntries).Select(e => e.Id).ToArray();
        var room = await staff.GetAsync<RoomInfo>("/api/room", CancellationToken.None);

        // Voters join (not timed as votes, reported apart).
        var joinWatch = Stopwatch.StartNew();
        var tokens = new string[voters];
        await Parallel.ForAsync(0, voters, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var response = await http.PostAsJsonAsync("/api/voters", new { roomCode = room.Code }, ct);
            response.EnsureSuccessStatusCode();
            tokens[i] = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
        });
        joinWatch.Stop();

        // The burst: every voter rates votesPerVoter different entries, all requests interleaved.
        var random = new Random(2023);
        var votes = Enumerable.Range(0, voters)
            .SelectMany(v => random.GetItems(entries, entries.Length).Distinct().Take(votesPerVoter).Select(e => (Voter: v, Entry: e, Score: random.Next(1, 6))))
            .ToArray();
        random.Shuffle(votes);
        var latencies = new double[votes.Length];
        var statuses = new int[votes.Length];
        var burst = Stopwatch.StartNew();
        await Parallel.ForAsync(0, votes.Length, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var (voter, entry, score) = votes[i];
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/votes/{entry}") { Content = JsonContent.Create(new { score }) };
            request.Headers.Add(VoterTokens.HeaderName, tokens[voter]);
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, ct);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            statuses[i] = (int)response.StatusCode;
        });
        burst.Stop();

        var acknowledged = statuses.Count(s => s == (int)HttpStatusCode.OK);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "amv.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM votes";
        var stored = (long)(await count.ExecuteScalarAsync())!;

        Array.Sort(latencies);
        Console.WriteLine($"AmvScreening vote burst — {Environment.ProcessorCount} cores, {voters} voters × {votesPerVoter} votes, {concurrency} concurrent requests");
        Console.WriteLine($"  joins:          {voters} in {joinWatch.Elapsed.TotalSeconds:F2} s ({voters / joinWatch.Elapsed.TotalSeconds:F0}/s)");
        Console.WriteLine($"  votes sent:     {votes.Length} in {burst.Elapsed.TotalSeconds:F2} s");
        Console.WriteLine($"  acknowledged:   {acknowledged} ({acknowledged / burst.Elapsed.TotalSeconds:F0} votes/s)");
        Console.WriteLine($"  refused:        {string.Join(", ", statuses.Where(s => s != 200).GroupBy(s => s).Select(g => $"{g.Key}×{g.Count()}").DefaultIfEmpty("none"))}");
        Console.WriteLine($"  latency ms:     p50 {Percentile(50):F1}  p90 {Percentile(90):F1}  p99 {Percentile(99):F1}  max {latencies[^1]:F1}");
        Console.WriteLine($"  in the database: {stored} votes ({(stored == acknowledged ? "= acknowledged" : "MISMATCH")})");
        return stored == acknowledged && acknowledged == votes.Length ? 0 : 1;

        double Percentile(double p) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p / 100 * latencies.Length) - 1)];
    }
    finally
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }
}
