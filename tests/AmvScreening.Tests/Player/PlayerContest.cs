using System.Net;
using System.Text.Json.Nodes;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Player;

/// <summary>A contest for the real player: one category whose finalists play the given files.</summary>
public static class PlayerContest
{
    /// <summary>Imports "Finalist 1"… playing <paramref name="files"/> (absolute paths); returns their entry ids in order.</summary>
    public static async Task<int[]> ImportAsync(AmvServer server, params string[] files)
    {
        var contest = new JsonObject
        {
            ["contest"] = new JsonObject { ["name"] = "Player Test", ["year"] = 2026 },
            ["categories"] = new JsonArray("Upbeat/Fun"),
            ["finalists"] = new JsonArray(files.Select((file, i) => (JsonNode)new JsonObject
            {
                ["category"] = "Upbeat/Fun",
                ["order"] = i + 1,
                ["title"] = $"Finalist {i + 1}",
                ["editors"] = new JsonArray("Editor"),
                ["musicArtist"] = "Artist",
                ["musicTitle"] = "Song",
                ["sources"] = new JsonArray("Anime"),
                ["file"] = file,
            }).ToArray()),
        };
        using var coordinator = await server.CreateStaffClientAsync();
        var import = await ContestApi.ImportAsync(coordinator, contest);
        Assert.Equal(HttpStatusCode.OK, import.Status);
        return (await ContestApi.GetContestAsync(coordinator)).GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt32()).ToArray();
    }
}
