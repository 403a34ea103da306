using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AmvScreening.Tests.Hardening;

/// <summary>The data folder on a real file system that fills up (a small tmpfs): writes are refused with 503 and
/// Retry-After, /readyz says so, nothing acknowledged is lost, and the server recovers by itself when space returns.</summary>
public sealed class DiskFullTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DiskFull_VotesAre503WithRetryAfter_ReadyzIsUnhealthy_AndVotingResumesByItselfWhenSpaceReturns()
    {
        await using var disk = await SmallDisk.MountAsync(megabytes: 16);
        var acknowledged = new List<(string Token, int Entry, int Score)>();
        using (var server = new AmvServer(dataDirectory: disk.Path))
        {
            var category = (await TestContest.SeedAsync(server, categories: 1, entriesPerCategory: 3))[0];
            using var coordinator = await server.CreateStaffClientAsync();
            await TestContest.SetVotingAsync(coordinator, category.Id, "open");
            var room = (await coordinator.GetFromJsonAsync<JsonElement>("/api/room").WaitAsync(Bound)).GetProperty("code").GetString()!;
            using var http = server.CreateAnonymousClient();

            // Joining writes too (the voter's row): the voters of votes 5 to 499 join before the disk fills, three votes each.
            var joinedBefore = new List<VoterClient>();
            for (var i = 0; i < 165; i++)
            {
                joinedBefore.Add(await VoterClient.JoinAsync(http, room).WaitAsync(Bound));
            }

            // Vote n: a voter (joined before the disk filled for n in 5..499, else a new one, or the given one) gives
            // entry n % 3 the score 1 + n % 5, with sequence n.
            async Task<(VoterClient Voter, HttpResponseMessage Response)> VoteAsync(int n, VoterClient? voter = null)
            {
                voter ??= n is >= 5 and < 500 ? joinedBefore[(n - 5) / 3] : await VoterClient.JoinAsync(http, room).WaitAsync(Bound);
                var (entry, score) = (category.Entries[n % 3], 1 + n % 5);
                var response = await voter.VoteAsync(entry, score, sequence: n).WaitAsync(Bound);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.Add((voter.Token, entry, score));
                }

                return (voter, response);
            }

            for (var n = 0; n < 5; n++)
            {
                Assert.Equal(HttpStatusCode.OK, (await VoteAsync(n)).Response.StatusCode);
            }

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz").WaitAsync(Bound)).StatusCode);

            await disk.FillAsync();
            Assert.True(disk.FreeBytes < 64 * 1024, $"{disk.FreeBytes} bytes still free");
            var readyWhileFull = await http.GetAsync("/readyz").WaitAsync(Bound);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readyWhileFull.StatusCode);
            Assert.Equal("Unhealthy", await readyWhileFull.Content.ReadAsStringAsync());

            // A vote may still fit in space SQLite holds already; soon one does not. Never a 500, never a false 200.
            (VoterClient Voter, HttpResponseMessage Response) refused = default;
            var refusedVote = -1;
            for (var n = 5; n < 500 && refusedVote < 0; n++)
            {
                var vote = await VoteAsync(n);
                Assert.True(vote.Response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable,
                    $"vote {n}: {(int)vote.Response.StatusCode} {await vote.Response.Content.ReadAsStringAsync()}");
                if (vote.Response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    (refused, refusedVote) = (vote, n);
                }
            }

            Assert.True(refusedVote >= 0, "No vote was refused with a full disk.");
            var response = refused.Response!;
            Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("storage-full", problem.GetProperty("reason").GetString());
            Assert.Equal(503, problem.GetProperty("status").GetInt32());

            // Other writes are refused the same way (here: joining, and rotating the room code).
            var join = await http.PostAsJsonAsync("/api/voters", new { roomCode = room }).WaitAsync(Bound);
            Assert.True(join.StatusCode is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"join: {(int)join.StatusCode}");
            var rotate = await coordinator.PostAsync("/api/room/rotate", null).WaitAsync(Bound);
            Assert.True(rotate.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{(int)rotate.StatusCode}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/readyz").WaitAsync(Bound)).StatusCode);

            disk.Free();

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz").WaitAsync(Bound)).StatusCode);
            // The phone sends the refused vote again, as it was: now it is saved. No restart was needed.
            Assert.Equal(HttpStatusCode.OK, (await VoteAsync(refusedVote, refused.Voter)).Response.StatusCode);
            for (var n = 1001; n < 1011; n++)
            {
                Assert.Equal(HttpStatusCode.OK, (await VoteAsync(n)).Response.StatusCode);
            }
        }

        // The server has stopped: every acknowledged vote is in the database, and the database is sound.
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(disk.Path, "amv.db")};Pooling=False");
        Assert.Equal("ok", await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
        var stored = (await connection.QueryAsync<(string Voter, long Entry, long Score)>("SELECT voter, entry_id, score FROM votes"))
            .Select(r => (r.Voter, (int)r.Entry, (int)r.Score)).Order().ToList();
        // A token is "{voter id}.{contest}.{signature}"; the votes table keeps the voter id.
        Assert.Equal(acknowledged.Select(a => (a.Token.Split('.')[0], a.Entry, a.Score)).Order(), stored);
    }
}
