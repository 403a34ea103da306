using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Contest;

/// <summary>The contest's loudness target: set in the console's editor (and the import file, see ContestImportTests),
/// refused outside -31…-14 naming the field, and handed to the player's playlist and pre-flight limits.</summary>
public sealed class LoudnessTargetTests : IDisposable
{
    private readonly AmvServer _server = new();

    public void Dispose() => _server.Dispose();

    private static object Details(object target) =>
        new { name = "Test Con", year = 2026, publicBaseUrl = (string?)null, voting = new { }, limits = new { maxFileMegabytes = 330, maxDurationSeconds = 330, loudnessTargetLufs = target } };

    [Fact]
    public async Task ANewContest_TargetsEbuR128()
    {
        using var player = _server.CreatePlayerClient();

        Assert.Equal(-23, (await player.GetFromJsonAsync<PlayerShow>(PlayerContract.ShowPath))!.LoudnessTargetLufs);
        Assert.Equal(-23, (await player.GetFromJsonAsync<JsonElement>("/api/preflight/limits")).GetProperty("loudnessTargetLufs").GetInt32());
    }

    [Fact]
    public async Task TheCoordinatorsTarget_ReachesThePlaylistAndThePreflightLimits()
    {
        using var coordinator = await _server.CreateStaffClientAsync();
        using var player = _server.CreatePlayerClient();

        var saved = await coordinator.PutAsJsonAsync("/api/contest/details", Details(-16));

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(-16, (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("limits").GetProperty("loudnessTargetLufs").GetInt32());
        Assert.Equal(-16, (await player.GetFromJsonAsync<PlayerShow>(PlayerContract.ShowPath))!.LoudnessTargetLufs);
        Assert.Equal(-16, (await player.GetFromJsonAsync<JsonElement>("/api/preflight/limits")).GetProperty("loudnessTargetLufs").GetInt32());
    }

    [Theory]
    [InlineData(-32)]
    [InlineData(-13)]
    [InlineData(0)]
    [InlineData(int.MinValue)]
    [InlineData(-23.5)]
    [InlineData("-23")]
    public async Task ATargetOutsideTheRange_IsRefused_NamingTheField_AndNothingChanges(object target)
    {
        using var coordinator = await _server.CreateStaffClientAsync();

        var response = await coordinator.PutAsJsonAsync("/api/contest/details", Details(target));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => e.Name.Contains("loudnessTargetLufs", StringComparison.Ordinal)), errors.GetRawText());
        var contest = await coordinator.GetFromJsonAsync<JsonElement>("/api/contest");
        Assert.Equal(-23, contest.GetProperty("contest").GetProperty("limits").GetProperty("loudnessTargetLufs").GetInt32());
    }

    [Fact]
    public async Task TheDatabase_RefusesATargetOutsideTheRange_Too()
    {
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => TestContest.ExecuteAsync(_server, "UPDATE contest SET loudness_target_lufs = -50 WHERE id = 1"));

        Assert.Contains("CHECK", refused.Message, StringComparison.OrdinalIgnoreCase);
    }
}
