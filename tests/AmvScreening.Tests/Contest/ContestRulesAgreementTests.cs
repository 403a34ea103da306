using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Tests.Support;
using static AmvScreening.Tests.Contest.ContestApi;

namespace AmvScreening.Tests.Contest;

/// <summary>The contest's rules are one set whichever way the contest changes: generated contest details, most of them
/// with values at or past a limit, are sent both to the import (as a contest file's <c>contest</c>) and to the console's
/// editor (PUT /api/contest/details), over real HTTP. Both accept the same ones and store the same thing; both refuse
/// the same ones, naming the same fields (the import's under <c>contest.</c>, where they are in the file) with the
/// same words.</summary>
public sealed class ContestRulesAgreementTests
{
    private const int Seed = 20261130;
    private const int Cases = 150;

    /// <summary>Values for each field of the details, valid ones and ones at or past each limit.</summary>
    private static readonly (string Path, JsonNode?[] Values)[] Fields =
    [
        ("name", ["Con AMV", "", "   ", "  Padded  ", new string('n', 300), new string('n', 301)]),
        ("year", [1899, 1900, 2026, 9999, 10000, 0]),
        ("publicBaseUrl", [null, "", "  ", "http://192.168.1.10:5000", " https://amv.example ", "ftp://amv.example", "http://amv.example/?q=1",
            "http://amv.example/#top", "http://amv\n.example", "https://user@amv.example", "amv.example"]),
        ("voting.scoreMin", [-1, 0, 1, 4, 9, 10]),
        ("voting.scoreMax", [0, 1, 2, 5, 9, 10, 11, 100]),
        ("voting.bestInShowMethod", ["ballot", "top-score", "loudest", "", " ballot ", "Ballot"]),
        ("voting.bestInShowKeepsCategoryPrize", [true, false]),
        ("voting.autoCloseMinutes", [null, -5, 0, 1, 60, 1440, 1441, 100_000]),
        ("voting.requireCards", [true, false]),
        ("roomCode.rotateAtCategoryCard", [true, false]),
        ("roomCode.showOnScreenView", [true, false]),
        ("roomCode.rotateEveryMinutes", [null, -1, 0, 1, 1440, 1441]),
        ("limits.maxFileMegabytes", [-1, 0, 1, 330, int.MaxValue]),
        ("limits.maxDurationSeconds", [-1, 0, 1, 330]),
    ];

    [Fact]
    public async Task GeneratedContestDetails_GetTheSameVerdict_FromTheImportAndFromTheEditor()
    {
        using var server = new AmvServer();
        using var coordinator = await server.CreateStaffClientAsync().WaitAsync(TimeLimit);
        var random = new Random(Seed);
        var (accepted, refused) = (0, 0);
        var refusedFields = new HashSet<string>();

        for (var i = 0; i < Cases; i++)
        {
            var details = Generate(random);
            var context = $"case {i} (seed {Seed}): {details.ToJsonString()}";

            var import = await ImportAsync(coordinator, new JsonObject
            {
                ["contest"] = details.DeepClone(),
                ["categories"] = new JsonArray("Action"),
                ["finalists"] = new JsonArray(),
            });
            var imported = import.Status == HttpStatusCode.OK ? await StoredDetailsAsync(coordinator) : null;
            using var edit = await coordinator.PutAsJsonAsync("/api/contest/details", details).WaitAsync(TimeLimit);
            var editBody = await edit.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(TimeLimit);
            var edited = edit.StatusCode == HttpStatusCode.OK ? await StoredDetailsAsync(coordinator) : null;

            Assert.True(import.Status == edit.StatusCode, $"import {import.Describe()}\neditor {(int)edit.StatusCode} {editBody}\n{context}");
            if (edit.StatusCode == HttpStatusCode.OK)
            {
                accepted++;
                Assert.True(imported == edited, $"stored after the import: {imported}\nafter the editor: {edited}\n{context}");
                continue;
            }

            Assert.True(edit.StatusCode == HttpStatusCode.BadRequest, $"editor {(int)edit.StatusCode} {editBody}\n{context}");
            refused++;
            var editorErrors = Errors(editBody);
            var importErrors = import.Errors.ToDictionary(e => e.Key.StartsWith("contest.", StringComparison.Ordinal) ? e.Key["contest.".Length..] : e.Key, e => e.Value);
            Assert.True(
                importErrors.OrderBy(e => e.Key, StringComparer.Ordinal).SequenceEqual(editorErrors.OrderBy(e => e.Key, StringComparer.Ordinal)),
                $"import {import.Describe()}\neditor {editBody}\n{context}");
            refusedFields.UnionWith(editorErrors.Keys);
        }

        // The generator reached both verdicts and every rule of the details.
        Assert.True(accepted >= 10 && refused >= 10, $"{accepted} accepted, {refused} refused");
        Assert.Superset(
            new HashSet<string> { "name", "year", "publicBaseUrl", "voting.scoreMin", "voting.scoreMax", "voting.bestInShowMethod", "voting.autoCloseMinutes",
                "roomCode.rotateEveryMinutes", "limits.maxFileMegabytes", "limits.maxDurationSeconds" },
            refusedFields);
    }

    /// <summary>Valid details with one to three fields set to a value from <see cref="Fields"/> (often at or past a limit).</summary>
    private static JsonObject Generate(Random random)
    {
        var details = JsonNode.Parse("""
            {
              "name": "Con AMV", "year": 2026, "publicBaseUrl": null,
              "voting": { "scoreMin": 1, "scoreMax": 5, "bestInShowMethod": "ballot", "bestInShowKeepsCategoryPrize": true,
                          "autoCloseMinutes": null, "requireCards": false },
              "limits": { "maxFileMegabytes": 330, "maxDurationSeconds": 330 },
              "roomCode": { "rotateAtCategoryCard": false, "rotateEveryMinutes": null }
            }
            """)!.AsObject();
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var (path, values) = Fields[random.Next(Fields.Length)];
            var value = values[random.Next(values.Length)]?.DeepClone();
            var parts = path.Split('.');
            var parent = parts.Length == 1 ? details : details[parts[0]]!.AsObject();
            parent[parts[^1]] = value;
        }

        return details;
    }

    /// <summary>The details as GET /api/contest has them.</summary>
    private static async Task<string> StoredDetailsAsync(HttpClient client) => (await GetContestAsync(client)).GetProperty("contest").GetRawText();

    private static Dictionary<string, string> Errors(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => string.Join(" ", e.Value.EnumerateArray().Select(m => m.GetString())));
}
