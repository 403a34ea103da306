using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Server.Data;
using AmvScreening.Tests.Support;
using Dapper;

namespace AmvScreening.Tests.Integrity;

/// <summary>Open mode stays open: a whole hall behind one address joins without a refusal, and quickly.</summary>
public sealed class OpenJoinTests : IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task TwoThousandPhonesBehindOneAddress_JoinAtOnce_NoneRefusedAndEachRecorded()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        var code = (await coordinator.GetFromJsonAsync<JsonElement>("/api/room")).GetProperty("code").GetString()!;
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 64 }) { BaseAddress = _server.BaseAddress };

        var clock = Stopwatch.StartNew();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 2000).Select(async _ =>
            (await http.PostAsJsonAsync("/api/voters", new { roomCode = code })).StatusCode));
        var elapsed = clock.Elapsed;

        Assert.Equal(0, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        Assert.True(elapsed < TimeSpan.FromSeconds(20), $"2,000 joins took {elapsed.TotalSeconds:0.0} s (docs/benchmarks.md has the figures)");
        await using var connection = await _server.Services.GetRequiredService<Db>().OpenAsync();
        Assert.Equal(2000, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM voters"));
        Console.WriteLine($"2,000 joins in {elapsed.TotalMilliseconds:0} ms");
    }
}
