using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AmvScreening.Server.Auth;
using AmvScreening.Tests.Entries;
using AmvScreening.Tests.Player.Vlc;
using AmvScreening.Tests.Support;
using Dapper;
using Xunit.Abstractions;

namespace AmvScreening.Tests.Judging;

/// <summary>Who may see and do what in judging: a judge sees their own categories' entries and nothing that names an
/// editor (in blind mode) or a contact email, in any answer, file or file name; anonymous visitors, the booth and judges
/// are refused the coordinator's routes; a judge disabled, signed out or given a new password is signed out at once.</summary>
public sealed class JudgeAccessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private JudgingRig _rig = null!;
    private readonly List<(int Id, string Category, string Title, string Editor, string Email)> _entries = [];

    public async Task InitializeAsync()
    {
        _rig = await JudgingRig.StartAsync(blind: true);
        var clip = await TestMedia.ClipAsync(seconds: 2);
        foreach (var (category, title, editor) in new[]
                 {
                     ("Action", "Blade Dance", "Zed Quill"), ("Action", "Steel Rain", "Mara Voss"),
                     ("Comedy", "Pudding Heist", "Olli Brand"), ("Drama", "Paper Moon", "Ines Kade"),
                 })
        {
            var email = $"{editor.Replace(' ', '.').ToLowerInvariant()}@example.org";
            _entries.Add((await _rig.AddEntryAsync(category, title, [editor, $"{editor} Junior"], email, clip), category, title, editor, email));
        }

        // Not entries to judge: a withdrawn one and one whose file failed its check, in the judge's own category.
        await _rig.AddEntryAsync("Action", "Withdrawn Entry", ["Wendy Withdrawn"], "wendy@example.org", clip, withdrawn: true);
        await _rig.AddEntryAsync("Action", "Failed Check", ["Fred Failed"], "fred@example.org", clip, check: "failed");
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Judge_InBlindMode_SeesOnlyTheirCategoriesEntries_AndNoEditorOrEmail_InAnyAnswerOrFile()
    {
        using var judge = await _rig.JudgeAsync("Judy", "Action", "Comedy");
        var mine = _entries.Where(e => e.Category is "Action" or "Comedy").ToList();
        var others = _entries.Except(mine).ToList();

        var panel = await judge.GetStringAsync("/api/judging/panel").WaitAsync(HubTesting.Bound);
        var seen = JsonDocument.Parse(panel).RootElement.GetProperty("categories").EnumerateArray()
            .SelectMany(c => c.GetProperty("entries").EnumerateArray()).Select(e => e.GetProperty("id").GetInt32()).Order().ToList();
        Assert.Equal(mine.Select(e => e.Id).Order(), seen);

        // Everything the judge can fetch: the panel, the judge pages, every entry's video (headers and bytes), and
        // a score's answer.
        var answers = new List<(string What, string Text)> { ("panel", panel) };
        foreach (var page in new[] { "/console/judge", "/console/judge/sign-in", "/console/judge/welcome" })
        {
            answers.Add((page, await judge.GetStringAsync(page).WaitAsync(HubTesting.Bound)));
        }

        foreach (var entry in _entries)
        {
            using var video = await judge.GetAsync($"/api/judging/entries/{entry.Id}/video").WaitAsync(HubTesting.Bound);
            Assert.Equal(mine.Contains(entry) ? HttpStatusCode.OK : HttpStatusCode.NotFound, video.StatusCode);
            answers.Add(($"video {entry.Id} headers", video.Headers.ToString() + video.Content.Headers));
            if (video.IsSuccessStatusCode)
            {
                Assert.Null(video.Content.Headers.ContentDisposition);
                answers.Add(($"video {entry.Id}", Encoding.Latin1.GetString(await video.Content.ReadAsByteArrayAsync())));
            }

            using var score = await judge.PutAsJsonAsync($"/api/judging/entries/{entry.Id}/score", new { score = 1, note = "fine", ruleFlag = (string?)null });
            Assert.Equal(mine.Contains(entry) ? HttpStatusCode.OK : HttpStatusCode.NotFound, score.StatusCode);
            answers.Add(($"score {entry.Id}", await score.Content.ReadAsStringAsync()));
        }

        var forbidden = _entries.SelectMany(e => new[] { e.Editor, e.Email, "example.org" })
            .Concat(others.Select(e => e.Title)).Concat(["Withdrawn Entry", "Failed Check", "Wendy", "Fred"]).ToList();
        foreach (var (what, text) in answers)
        {
            foreach (var word in forbidden)
            {
                Assert.False(text.Contains(word, StringComparison.OrdinalIgnoreCase), $"The judge's {what} names '{word}':\n{text[..Math.Min(text.Length, 2000)]}");
            }
        }

        output.WriteLine($"{answers.Count} answers checked for {forbidden.Count} names a blind judge must not see.");
    }

    [Fact]
    public async Task Judge_WithBlindModeOff_SeesEditors_ButStillNoContactEmail()
    {
        var details = await _rig.Coordinator.GetFromJsonAsync<JsonElement>("/api/contest");
        var contest = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(details.GetProperty("contest").GetRawText())!;
        var edited = JsonSerializer.Serialize(contest).Replace("\"blind\":true", "\"blind\":false", StringComparison.Ordinal);
        using (var put = await _rig.Coordinator.PutAsync("/api/contest/details", new StringContent(edited, Encoding.UTF8, "application/json")))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        using var judge = await _rig.JudgeAsync("Jules", "Action");
        var panel = await judge.GetStringAsync("/api/judging/panel").WaitAsync(HubTesting.Bound);
        Assert.Contains("Zed Quill", panel, StringComparison.Ordinal);
        Assert.DoesNotContain("example.org", panel, StringComparison.Ordinal);
    }

    /// <summary>Every judging route, with a body where it takes one.</summary>
    public static TheoryData<string, string, string?> CoordinatorRoutes() => new()
    {
        { "GET", "/api/judging/judges", null },
        { "POST", "/api/judging/judges", """{"name":"X","categoryIds":[]}""" },
        { "PUT", "/api/judging/judges/1", """{"name":"X","categoryIds":[]}""" },
        { "POST", "/api/judging/judges/1/invite", null },
        { "POST", "/api/judging/judges/1/disable", null },
        { "POST", "/api/judging/judges/1/enable", null },
        { "GET", "/api/selection", null },
        { "PUT", "/api/selection/entries/1/outcome", """{"outcome":"finalist"}""" },
        { "PUT", "/api/selection/categories/1/order", """{"submissionIds":[]}""" },
        { "POST", "/api/selection/promote", null },
        { "PUT", "/api/selection/published", """{"published":true}""" },
        { "GET", "/api/selection/scores.csv", null },
    };

    public static TheoryData<string, string, string?> JudgeRoutes() => new()
    {
        { "GET", "/api/judging/panel", null },
        { "PUT", "/api/judging/entries/1/score", """{"score":1,"note":null,"ruleFlag":null}""" },
        { "GET", "/api/judging/entries/1/video", null },
        { "GET", "/api/auth/judge/me", null },
    };

    [Theory]
    [MemberData(nameof(CoordinatorRoutes))]
    public async Task CoordinatorRoute_IsRefusedToAnonymous_Booth_AndJudges(string method, string path, string? body)
    {
        using var anonymous = _rig.Server.CreateAnonymousClient();
        using var booth = await _rig.Server.CreateStaffClientAsync(Roles.Booth);
        using var judge = await _rig.JudgeAsync("Jo", "Action");
        await AssertRefusedAsync(anonymous, method, path, body, HttpStatusCode.Unauthorized);
        await AssertRefusedAsync(booth, method, path, body, HttpStatusCode.Forbidden);
        await AssertRefusedAsync(judge, method, path, body, HttpStatusCode.Unauthorized);
        await using var db = await JudgingRig.OpenAsync(_rig.Server);
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM judges"));
        Assert.Equal(0, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM submissions WHERE outcome <> 'pending'"));
    }

    [Theory]
    [MemberData(nameof(JudgeRoutes))]
    public async Task JudgeRoute_IsRefusedToAnonymous_AndTheBooth(string method, string path, string? body)
    {
        using var anonymous = _rig.Server.CreateAnonymousClient();
        using var booth = await _rig.Server.CreateStaffClientAsync(Roles.Booth);
        await AssertRefusedAsync(anonymous, method, path, body, HttpStatusCode.Unauthorized);
        var boothStatus = path.EndsWith("/video", StringComparison.Ordinal) ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized;
        await AssertRefusedAsync(booth, method, path, body, boothStatus);
    }

    [Fact]
    public async Task JudgePanelPage_WithoutAJudgeSession_RedirectsToTheJudgeSignIn_EvenForACoordinator()
    {
        var cookies = new CookieContainer();
        using (await _rig.Server.CreateStaffClientAsync(cookies: cookies))
        {
        }

        foreach (var container in new[] { new CookieContainer(), cookies })
        {
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = container }) { BaseAddress = _rig.Server.BaseAddress };
            using var response = await client.GetAsync("/console/judge").WaitAsync(HubTesting.Bound);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/console/judge/sign-in?returnUrl=%2Fconsole%2Fjudge", response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task ACategoryTakenFromAJudge_IsClosedToThemAtOnce()
    {
        var (id, invite) = await _rig.AddJudgeAsync("Kim", "Action", "Comedy");
        using var judge = await _rig.AcceptInviteAsync(invite);
        var comedy = _entries.Single(e => e.Category == "Comedy").Id;
        Assert.Equal(HttpStatusCode.OK, (await judge.GetAsync($"/api/judging/entries/{comedy}/video")).StatusCode);

        Assert.Equal(HttpStatusCode.OK,
            (await _rig.Coordinator.PutAsJsonAsync($"/api/judging/judges/{id}", new { name = "Kim", categoryIds = new[] { _rig.Categories["Action"] } })).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await judge.GetAsync($"/api/judging/entries/{comedy}/video")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await judge.PutAsJsonAsync($"/api/judging/entries/{comedy}/score", new { score = 1, note = (string?)null, ruleFlag = (string?)null })).StatusCode);
        Assert.DoesNotContain("Pudding Heist", await judge.GetStringAsync("/api/judging/panel"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisabledJudge_SessionStopsAtOnce_AndTheirPasswordNoLongerSignsIn()
    {
        var (id, invite) = await _rig.AddJudgeAsync("Dana", "Action");
        using var judge = await _rig.AcceptInviteAsync(invite);
        Assert.Equal(HttpStatusCode.OK, (await judge.GetAsync("/api/judging/panel")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _rig.Coordinator.PostAsync($"/api/judging/judges/{id}/disable", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await judge.GetAsync("/api/judging/panel")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await judge.GetAsync($"/api/judging/entries/{_entries[0].Id}/video")).StatusCode);
        using var again = _rig.Server.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.PostAsJsonAsync("/api/auth/judge/login", new { name = "Dana", password = JudgingRig.JudgePassword })).StatusCode);
        // The used invite does not work again either.
        Assert.Equal(HttpStatusCode.NotFound, (await again.PostAsJsonAsync("/api/auth/judge/invite", new { invite, password = "another-password" })).StatusCode);
    }

    [Fact]
    public async Task JudgeSignOut_EndsTheirSessionsOnEveryDevice_AndANewInviteEndsThemToo()
    {
        var (id, invite) = await _rig.AddJudgeAsync("Sam", "Action");
        using var laptop = await _rig.AcceptInviteAsync(invite);
        using var phone = _rig.Server.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await phone.PostAsJsonAsync("/api/auth/judge/login", new { name = "sam", password = JudgingRig.JudgePassword })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/judging/panel")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await laptop.PostAsync("/api/auth/judge/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/judging/panel")).StatusCode);

        // A new invite taken (the judge forgot the password) ends the sessions signed in with the old one.
        using var before = _rig.Server.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await before.PostAsJsonAsync("/api/auth/judge/login", new { name = "Sam", password = JudgingRig.JudgePassword })).StatusCode);
        var renewed = await (await _rig.Coordinator.PostAsync($"/api/judging/judges/{id}/invite", null)).Content.ReadFromJsonAsync<JsonElement>();
        var path = renewed.GetProperty("invitePath").GetString()!;
        using var after = await _rig.AcceptInviteAsync(path[(path.IndexOf('#') + 1)..], "a-new-password");
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/judging/panel")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync("/api/judging/panel")).StatusCode);
    }

    [Fact]
    public async Task WrongJudgePasswords_AreThrottled_WithRetryAfter()
    {
        var (_, invite) = await _rig.AddJudgeAsync("Tess", "Action");
        using var _ = await _rig.AcceptInviteAsync(invite);
        using var guesser = _rig.Server.CreateAnonymousClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await guesser.PostAsJsonAsync("/api/auth/judge/login", new { name = "Tess", password = $"guess-{i}" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                break;
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.All(statuses.SkipLast(1), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
    }

    [Fact]
    public async Task Video_AnswersRangeRequests_ForJudgesAndCoordinators()
    {
        using var judge = await _rig.JudgeAsync("Rae", "Action");
        var entry = _entries[0].Id;
        // Judging is blind: both see the entry's copy without its tags.
        var length = new FileInfo(Path.Combine(_rig.Server.DataDirectory, EntryRows.Read(_rig.Server.DatabasePath, entry).ProxyPath!)).Length;
        foreach (var client in new[] { judge, _rig.Coordinator })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/judging/entries/{entry}/video");
            request.Headers.Range = new RangeHeaderValue(100, 199);
            using var response = await client.SendAsync(request).WaitAsync(HubTesting.Bound);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(100, (await response.Content.ReadAsByteArrayAsync()).Length);
            Assert.Equal($"bytes 100-199/{length}", response.Content.Headers.ContentRange!.ToString());
            Assert.Equal("video/mp4", response.Content.Headers.ContentType!.MediaType);
        }
    }

    private static async Task AssertRefusedAsync(HttpClient client, string method, string path, string? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request).WaitAsync(HubTesting.Bound);
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode}, expected {(int)expected}");
    }
}
