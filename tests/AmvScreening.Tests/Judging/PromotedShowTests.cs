using System.Net.Http.Json;
using AmvScreening.Protocol;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using Xunit.Abstractions;
using static AmvScreening.Protocol.ShowPhase;

namespace AmvScreening.Tests.Judging;

/// <summary>The promoted finalists are the show: the built player, as its own process with headless libvlc and its SVG
/// slates, plays them in their running order with an intro and an outro slate each, from the entries' own files, with
/// no export or import between selection and show.</summary>
[Collection(LibVlcCollection.Name)]
public sealed class PromotedShowTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Show = TimeSpan.FromSeconds(120);

    private readonly string _state = Directory.CreateTempSubdirectory("amv-promoted-show-").FullName;
    private JudgingRig _rig = null!;

    public async Task InitializeAsync()
    {
        // The player's media folder (PlayerProcess gives it {state}/media) is the server's media root, as on a show
        // machine running both.
        var media = Directory.CreateDirectory(Path.Combine(_state, "media")).FullName;
        _rig = await JudgingRig.StartAsync(min: 1, max: 10, blind: true, settings: new Dictionary<string, string?> { ["Amv:MediaRoot"] = media });
    }

    public async Task DisposeAsync()
    {
        await _rig.DisposeAsync();
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task PromotedFinalists_PlayInTheRealPlayer_InTheirRunningOrder_WithTheirSlates()
    {
        var clip = await TestMedia.ClipAsync(seconds: 2);
        var tone = await TestMedia.ToneClipAsync(seconds: 2, volumeDb: -6);
        int[] action = [await _rig.AddEntryAsync("Action", "Blade Dance", ["Zed Quill"], "zed@example.org", clip),
                        await _rig.AddEntryAsync("Action", "Steel Rain", ["Mara Voss", "Kit Lo"], "mara@example.org", tone),
                        await _rig.AddEntryAsync("Action", "Left Out", ["Nobody"], "nobody@example.org", clip)];
        var drama = await _rig.AddEntryAsync("Drama", "Paper Moon", ["Ines Kade"], "ines@example.org", tone);
        using var judge = await _rig.JudgeAsync("Judy", "Action", "Drama");
        foreach (var (entry, score) in new[] { (action[0], 7), (action[1], 9), (action[2], 2), (drama, 8) })
        {
            (await judge.PutAsJsonAsync($"/api/judging/entries/{entry}/score", new { score, note = (string?)null, ruleFlag = (string?)null })).EnsureSuccessStatusCode();
        }

        foreach (var entry in new[] { action[1], action[0], drama })
        {
            (await _rig.Coordinator.PutAsJsonAsync($"/api/selection/entries/{entry}/outcome", new { outcome = "finalist" })).EnsureSuccessStatusCode();
        }

        (await _rig.Coordinator.PutAsJsonAsync($"/api/selection/entries/{action[2]}/outcome", new { outcome = "not-selected" })).EnsureSuccessStatusCode();
        var promoted = await _rig.Coordinator.PostAsync("/api/selection/promote", null);
        Assert.True(promoted.IsSuccessStatusCode, await promoted.Content.ReadAsStringAsync());

        await using var phone = _rig.Server.CreateVoterHub();
        var shows = phone.Received<ShowState>(ShowHubMethods.ShowChanged);
        await phone.StartAndSyncAsync();
        await using var player = PlayerProcess.Start(_rig.Server.BaseAddress, _state, "--intro", "1", "--outro", "1", "--no-category-cards");

        // Every change the phones hear until the end card: each finalist's intro slate, video and outro slate, in order.
        var seen = new List<(ShowPhase Phase, string? Title)>();
        using (var timeout = new CancellationTokenSource(Show))
        {
            try
            {
                await foreach (var state in shows.ReadAllAsync(timeout.Token))
                {
                    if (seen.Count == 0 || seen[^1] != (state.Phase, state.Entry?.Title))
                    {
                        seen.Add((state.Phase, state.Entry?.Title));
                    }

                    if (state.Phase == EndCard)
                    {
                        break;
                    }

                    Assert.False(player.HasExited, $"The player exited:\n{player.Log}");
                }
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No end card within {Show.TotalSeconds} s. Seen: {string.Join(", ", seen)}\nPlayer log:\n{player.Log}");
            }
        }

        output.WriteLine(string.Join("\n", seen));
        string[] order = ["Steel Rain", "Blade Dance", "Paper Moon"];
        var played = seen.Where(s => s.Title is not null).ToList();
        Assert.Equal(order.SelectMany(t => new[] { (IntroSlate, t), (Video, t), (OutroSlate, t) }), played.Select(s => (s.Phase, s.Title!)));
        Assert.DoesNotContain(seen, s => s.Title == "Left Out");
        Assert.DoesNotContain("could not", player.Log, StringComparison.OrdinalIgnoreCase);

        // The slates the player drew name each finalist and its editors (blind judging is for the judges, not the show).
        var slates = string.Join("\n", Directory.EnumerateFiles(Path.Combine(_state, "slates"), "*.svg", SearchOption.AllDirectories).Select(File.ReadAllText));
        foreach (var text in order.Concat(["Zed Quill", "Mara Voss", "Ines Kade"]))
        {
            Assert.Contains(text, slates, StringComparison.Ordinal);
        }
    }
}
