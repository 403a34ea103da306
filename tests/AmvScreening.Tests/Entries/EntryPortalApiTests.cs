using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmvScreening.Server.Entries;
using static AmvScreening.Tests.Entries.EntryPortalRig;

namespace AmvScreening.Tests.Entries;

/// <summary>
/// The entry portal's API against the real server and SQLite file (docs/entries.md, "Entry portal"): every rule refused
/// naming the rule and the field, malformed forms naming the field, the entrant seeing only their own entry, contact
/// emails in no public answer, the rules again at the deadline, and the file check's states as the queue writes them.
/// </summary>
public sealed class EntryPortalApiTests
{
    [Fact]
    public async Task Submission_AnswersItsPrivatePageOnce_AndThePageShowsTheEntry_WithoutTheEmail()
    {
        await using var rig = await StartAsync();
        var (response, body) = await rig.SubmitAsync(rig.Form(email: "Ann.Lee+amv@Example.org"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var secret = body.GetProperty("secret").GetString()!;
        Assert.True(EntrySecrets.IsWellFormed(secret));
        Assert.Equal($"/enter/e/{secret}", body.GetProperty("entryUrl").GetString());
        Assert.Equal($"/enter/e/{secret}", response.Headers.Location?.ToString());
        // Only the hash is kept; the person is the normalised address.
        Assert.Equal(EntrySecrets.Hash(secret), await rig.ScalarAsync<string>("SELECT secret_hash FROM submissions"));
        Assert.Equal(0, await rig.ScalarAsync<int>("SELECT count(*) FROM submissions WHERE secret_hash LIKE '%' || @secret || '%'", new { secret }));
        Assert.Equal("annlee@example.org", await rig.ScalarAsync<string>("SELECT person FROM submissions"));

        var (page, entry) = await rig.GetEntryAsync(secret);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("Sakura Drive", entry.GetProperty("title").GetString());
        Assert.Equal("Upbeat/Fun", entry.GetProperty("category").GetProperty("name").GetString());
        Assert.Equal(["Ann", "Bo"], entry.GetProperty("editors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("none", entry.GetProperty("check").GetProperty("state").GetString());
        Assert.True(entry.GetProperty("canReplaceFile").GetBoolean());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("outcome").ValueKind);
        Assert.DoesNotContain("example.org", entry.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task FourthEntry_BySamePerson_SpelledAnotherWay_IsRefused_NamingThePerPersonRule_AndWithdrawingOneMakesRoom()
    {
        await using var rig = await StartAsync();
        // One person, four spellings: case, dots, a +tag.
        string[] spellings = ["ann.lee@example.org", "ANN.LEE@EXAMPLE.ORG", "a.n.n.l.e.e+trailers@example.org", "AnnLee+fourth@Example.Org"];
        var secrets = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            secrets.Add(await rig.SubmitOkAsync(rig.Form(category: i, email: spellings[i], title: $"Entry {i}")));
        }

        var (response, problem) = await rig.SubmitAsync(rig.Form(category: 3, email: spellings[3]));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal((EntryRules.Rules.PerPerson, "contactEmail"), RefusalOf(problem));
        Assert.Contains("At most 3 entries per person", problem.GetProperty("detail").GetString());
        Assert.Equal(3, await rig.ScalarAsync<int>("SELECT count(*) FROM submissions"));

        // Withdrawn entries do not count.
        using var withdrawn = await rig.Anonymous.PostAsync($"/api/enter/entries/{secrets[0]}/withdraw", null).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        await rig.SubmitOkAsync(rig.Form(category: 3, email: spellings[3]));

        // Someone else is someone else.
        await rig.SubmitOkAsync(rig.Form(category: 0, email: "ann.lee@example.com"));
    }

    [Fact]
    public async Task SecondEntry_InTheSameCategory_IsRefused_NamingThePerCategoryRuleAndTheCategory()
    {
        await using var rig = await StartAsync();
        await rig.SubmitOkAsync(rig.Form(category: 1, email: "bo@example.org"));

        var (response, problem) = await rig.SubmitAsync(rig.Form(category: 1, email: "B.O+again@example.org", title: "Another"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal((EntryRules.Rules.PerCategory, "categoryId"), RefusalOf(problem));
        await rig.SubmitOkAsync(rig.Form(category: 2, email: "B.O+again@example.org", title: "Another"));
    }

    [Fact]
    public async Task Submission_BeforeEntriesOpen_OrAfterTheDeadline_IsRefused_NamingTheRule_InTheContestsTimeZone()
    {
        await using var rig = await StartAsync();
        rig.Clock.Advance(new DateTimeOffset(2026, 7, 1, 6, 59, 59, TimeSpan.Zero) - rig.Clock.GetUtcNow());
        var (early, tooEarly) = await rig.SubmitAsync(rig.Form());
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(EntryRules.Rules.NotOpen, RefusalOf(tooEarly).Rule);
        Assert.Contains("2026-07-01 00:00 (America/Los_Angeles, UTC-07:00)", tooEarly.GetProperty("detail").GetString());
        Assert.Equal("not-open", (await JsonAsync(rig.Anonymous, "/api/enter/rules")).GetProperty("state").GetString());

        rig.Clock.Advance(TimeSpan.FromSeconds(1));
        var secret = await rig.SubmitOkAsync(rig.Form());

        rig.Clock.Advance(Deadline - rig.Clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        await rig.SubmitOkAsync(rig.Form(category: 1));
        rig.Clock.Advance(TimeSpan.FromSeconds(1));
        var (late, tooLate) = await rig.SubmitAsync(rig.Form(category: 2));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(EntryRules.Rules.DeadlinePassed, RefusalOf(tooLate).Rule);
        Assert.Contains("2026-08-15 23:59", tooLate.GetProperty("detail").GetString());
        Assert.Equal("closed", (await JsonAsync(rig.Anonymous, "/api/enter/rules")).GetProperty("state").GetString());
        // After the deadline the file can no longer be replaced.
        Assert.False((await rig.GetEntryAsync(secret)).Body.GetProperty("canReplaceFile").GetBoolean());
    }

    [Theory]
    [InlineData("2025-09-01")] // the day itself: not after it
    [InlineData("2024-12-31")]
    public async Task Submission_PremieredTooEarly_IsRefused_NamingThePremiereRuleAndField(string premieredOn)
    {
        await using var rig = await StartAsync();
        var form = rig.Form();
        form["premieredOn"] = premieredOn;

        var (response, problem) = await rig.SubmitAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((EntryRules.Rules.PremiereDate, "premieredOn"), RefusalOf(problem));
        form["premieredOn"] = "2025-09-02";
        await rig.SubmitOkAsync(form);
    }

    [Fact]
    public async Task Submission_WithoutThePermission_IsRefused_NamingThePermissionRuleAndField()
    {
        await using var rig = await StartAsync();
        var form = rig.Form();
        form["permission"] = false;

        var (response, problem) = await rig.SubmitAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((EntryRules.Rules.Permission, "permission"), RefusalOf(problem));
        Assert.Equal(0, await rig.ScalarAsync<int>("SELECT count(*) FROM submissions"));
    }

    [Fact]
    public async Task ManySubmissionsAtOnce_BySamePerson_TakeNoMoreThanTheLimit()
    {
        await using var rig = await StartAsync();
        // Twelve at once, three in each category: one per category, three in all.
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => rig.SubmitAsync(rig.Form(category: i % 4, email: $"c.a.t+{i}@example.org"))));

        Assert.Equal(3, answers.Count(a => a.Response.StatusCode == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.Response.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.Conflict, a.Response.StatusCode));
        Assert.Equal(3, await rig.ScalarAsync<int>("SELECT count(*) FROM submissions"));
        Assert.Equal(3, await rig.ScalarAsync<int>("SELECT count(DISTINCT category_id) FROM submissions"));
    }

    /// <summary>Generated malformed forms: each field missing, null, of the wrong type or out of its bounds, and unknown
    /// fields; each is a 400 naming that field, and nothing is stored.</summary>
    [Fact]
    public async Task MalformedForms_Are400_NamingTheField_AndStoreNothing()
    {
        await using var rig = await StartAsync();
        var valid = rig.Form();
        var cases = new List<(JsonNode Body, string Field)>();
        foreach (var field in new[] { "categoryId", "title", "editors", "contactEmail", "musicArtist", "musicTitle", "premieredOn", "permission" })
        {
            cases.Add((Without(valid, field), field));
            cases.Add((With(valid, field, null), field));
        }

        foreach (var (field, value) in new (string, JsonNode?)[]
        {
            ("categoryId", "1"), ("categoryId", 1.5), ("categoryId", 99999), ("title", 3), ("title", ""), ("title", "   "), ("title", new string('x', 301)),
            ("editors", "Ann"), ("editors", new JsonArray()), ("editors", new JsonArray("  ")), ("editors", new JsonArray(JsonValue.Create(1))),
            ("contactEmail", "ann"), ("contactEmail", "ann@example"), ("contactEmail", "a b@example.org"), ("contactEmail", new string('a', 250) + "@x.org"),
            ("musicArtist", ""), ("musicTitle", new JsonObject()), ("sources", "Naruto"), ("premieredOn", "14/03/2026"), ("premieredOn", "2026-02-30"),
            ("premieredOn", 20260314), ("permission", "yes"), ("permission", 1), ("contentNote", new string('x', 301)),
        })
        {
            cases.Add((With(valid, field, value), field));
        }

        cases.Add((With(valid, "colour", "red"), "colour"));
        var random = new Random(14);
        foreach (var (body, field) in cases.OrderBy(_ => random.Next()))
        {
            var (response, problem) = await rig.SubmitAsync(body);
            var what = $"{body.ToJsonString()} → {(int)response.StatusCode} {problem}";
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, what);
            Assert.True(RefusalOf(problem).Fields.Split(',').Contains(field), what);
        }

        foreach (var raw in new[] { "", "[]", "null", "{", "{\"title\":\"a\",\"title\":\"b\"}", "\"x\"" })
        {
            using var response = await rig.Anonymous.PostAsync("/api/enter/submissions", new StringContent(raw, Encoding.UTF8, "application/json")).WaitAsync(Bound);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{raw}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(0, await rig.ScalarAsync<int>("SELECT count(*) FROM submissions"));
    }

    [Fact]
    public async Task AnEntrant_SeesOnlyTheirOwnEntry_AnyOtherSecretIs_TheSame404()
    {
        await using var rig = await StartAsync();
        var ann = await rig.SubmitOkAsync(rig.Form(email: "ann@example.org", title: "Ann's"));
        var bo = await rig.SubmitOkAsync(rig.Form(email: "bo@example.org", title: "Bo's"));
        Assert.Equal("Ann's", (await rig.GetEntryAsync(ann)).Body.GetProperty("title").GetString());
        Assert.Equal("Bo's", (await rig.GetEntryAsync(bo)).Body.GetProperty("title").GetString());

        // Wrong secrets: random ones of the right form, one character off, the hash itself, malformed, empty-ish.
        var random = new Random(3);
        var wrong = new List<string> { ann[..^1] + (ann[^1] == 'A' ? 'B' : 'A'), ann.ToUpperInvariant(), EntrySecrets.Hash(ann), ann + "x", ann[..^1], "..", "%00", " " };
        wrong.AddRange(Enumerable.Range(0, 20).Select(_ => EntrySecrets.New()));
        wrong.AddRange(Enumerable.Range(0, 5).Select(_ => new string([.. Enumerable.Range(0, random.Next(1, 80)).Select(_ => (char)random.Next(33, 127))])));
        var bodies = new HashSet<string>();
        foreach (var secret in wrong.Where(s => s != ann && s != bo))
        {
            var (response, body) = await rig.GetEntryAsync(secret);
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                continue; // a path Kestrel itself refuses ("%00")
            }

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{secret}: {(int)response.StatusCode} {body}");
            // The same answer whatever the guess (the trace id aside).
            bodies.Add(string.Join(",", body.EnumerateObject().Where(p => p.Name != "traceId").Select(p => p.ToString())));
            using var withdraw = await rig.Anonymous.PostAsync($"/api/enter/entries/{Uri.EscapeDataString(secret)}/withdraw", null).WaitAsync(Bound);
            Assert.Contains(withdraw.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.BadRequest });
        }

        Assert.Single(bodies);
        Assert.Equal(0, await rig.ScalarAsync<int>("SELECT count(*) FROM submissions WHERE withdrawn_at IS NOT NULL"));
    }

    [Fact]
    public async Task ContactEmails_AreInNoPublicAnswer()
    {
        await using var rig = await StartAsync();
        string[] emails = ["secret.one@example.org", "two+tag@mail.example", "THREE@Example.net"];
        var secrets = new List<string>();
        foreach (var (email, i) in emails.Select((e, i) => (e, i)))
        {
            secrets.Add(await rig.SubmitOkAsync(rig.Form(category: i, email: email)));
        }

        await rig.ExecuteAsync("UPDATE contest SET outcomes_published_at = '2026-09-01T00:00:00Z'; UPDATE submissions SET outcome = 'finalist'");
        var document = await JsonAsync(rig.Anonymous, "/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Value.TryGetProperty("get", out _) && !p.Name.Contains('{'))
            .Select(p => p.Name)
            .Concat(secrets.Select(s => $"/api/enter/entries/{s}"))
            .Concat(["/enter", $"/enter/e/{secrets[0]}", "/openapi/v1.json"])
            .ToList();
        Assert.Contains("/api/enter/rules", paths);
        foreach (var path in paths)
        {
            using var response = await rig.Anonymous.GetAsync(path).WaitAsync(Bound);
            var text = await response.Content.ReadAsStringAsync().WaitAsync(Bound);
            foreach (var email in emails)
            {
                var local = email.Split('@')[0].Split('+')[0];
                Assert.True(!text.Contains(local, StringComparison.OrdinalIgnoreCase), $"{path} ({(int)response.StatusCode}) shows {email}");
            }
        }
    }

    [Fact]
    public async Task EntryPage_ShowsTheFileCheck_AsTheQueueWritesIt_AndTheOutcomeOnlyOncePublished()
    {
        await using var rig = await StartAsync();
        var secret = await rig.SubmitOkAsync(rig.Form());
        async Task<JsonElement> Check() => (await rig.GetEntryAsync(secret)).Body.GetProperty("check");

        await rig.ExecuteAsync("UPDATE submissions SET file_path = 'entries/1/a.mp4', file_name = 'my cut.mp4', file_bytes = 123456, check_state = 'queued'");
        Assert.Equal("queued", (await Check()).GetProperty("state").GetString());
        var file = (await rig.GetEntryAsync(secret)).Body.GetProperty("file");
        Assert.Equal("my cut.mp4", file.GetProperty("name").GetString());
        Assert.Equal(123456, file.GetProperty("bytes").GetInt64());
        Assert.False(file.TryGetProperty("path", out _));

        await rig.ExecuteAsync("UPDATE submissions SET check_state = 'running', check_progress = 0.42");
        Assert.Equal(0.42, (await Check()).GetProperty("progress").GetDouble());
        await rig.ExecuteAsync("UPDATE submissions SET check_state = 'failed', check_progress = NULL, check_message = '5:42 is over the 5:30 limit: upload a shorter cut before the deadline'");
        Assert.Equal("failed", (await Check()).GetProperty("state").GetString());
        Assert.StartsWith("5:42 is over the 5:30 limit", (await Check()).GetProperty("message").GetString());

        await rig.ExecuteAsync("UPDATE submissions SET outcome = 'finalist'");
        Assert.Equal(JsonValueKind.Null, (await rig.GetEntryAsync(secret)).Body.GetProperty("outcome").ValueKind);
        await rig.ExecuteAsync("UPDATE contest SET outcomes_published_at = '2026-09-01T00:00:00Z'");
        Assert.Equal("finalist", (await rig.GetEntryAsync(secret)).Body.GetProperty("outcome").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task AtTheDeadline_TheRulesRunAgain_MarkingEntriesWithoutAFileThatPassed_OnceTheirCheckEnds()
    {
        await using var rig = await StartAsync();
        var passed = await rig.SubmitOkAsync(rig.Form(category: 0, email: "a@example.org"));
        var noFile = await rig.SubmitOkAsync(rig.Form(category: 0, email: "b@example.org"));
        var failed = await rig.SubmitOkAsync(rig.Form(category: 0, email: "c@example.org"));
        var running = await rig.SubmitOkAsync(rig.Form(category: 0, email: "d@example.org"));
        var withdrawn = await rig.SubmitOkAsync(rig.Form(category: 0, email: "e@example.org"));
        await rig.ExecuteAsync("""
            UPDATE submissions SET file_path = 'entries/x.mp4', check_state = 'passed' WHERE secret_hash IN (@passed, @withdrawn);
            UPDATE submissions SET file_path = 'entries/y.mp4', check_state = 'failed', check_message = 'No audio track.' WHERE secret_hash = @failed;
            UPDATE submissions SET file_path = 'entries/z.mp4', check_state = 'running' WHERE secret_hash = @running;
            """, new { passed = EntrySecrets.Hash(passed), withdrawn = EntrySecrets.Hash(withdrawn), failed = EntrySecrets.Hash(failed), running = EntrySecrets.Hash(running) });
        await rig.Anonymous.PostAsync($"/api/enter/entries/{withdrawn}/withdraw", null).WaitAsync(Bound);
        await rig.ExecuteAsync("UPDATE submissions SET file_path = NULL, check_state = 'none' WHERE secret_hash = @h", new { h = EntrySecrets.Hash(withdrawn) });
        var enforcer = rig.Server.Services.GetRequiredService<DeadlineEnforcer>();

        Assert.Equal(0, await enforcer.EnforceAsync().WaitAsync(Bound)); // before the deadline: nothing
        Assert.Equal(0, await rig.ScalarAsync<int>("SELECT count(*) FROM submissions WHERE deadline_rule IS NOT NULL"));
        // (Moving the clock may also wake the service's own pass: the marks are the same whoever writes them.)
        rig.Clock.Advance(Deadline - rig.Clock.GetUtcNow());
        await enforcer.EnforceAsync().WaitAsync(Bound);

        async Task<string?> RuleOf(string secret) =>
            (await rig.GetEntryAsync(secret)).Body.GetProperty("atDeadline") is { ValueKind: JsonValueKind.Object } breach ? breach.GetProperty("rule").GetString() : null;
        Assert.Null(await RuleOf(passed));
        Assert.Equal(EntryRules.Rules.NoFile, await RuleOf(noFile));
        Assert.Equal(EntryRules.Rules.FileFailed, await RuleOf(failed));
        Assert.Contains("No audio track.", (await rig.GetEntryAsync(failed)).Body.GetProperty("atDeadline").GetProperty("message").GetString());
        Assert.Null(await RuleOf(running)); // judged when its check ends
        Assert.Null(await RuleOf(withdrawn));

        await rig.ExecuteAsync("UPDATE submissions SET check_state = 'failed', check_message = 'Not decodable to the end.' WHERE secret_hash = @h", new { h = EntrySecrets.Hash(running) });
        await enforcer.EnforceAsync().WaitAsync(Bound);
        Assert.Equal(EntryRules.Rules.FileFailed, await RuleOf(running));
        Assert.Equal(0, await enforcer.EnforceAsync().WaitAsync(Bound)); // nothing new: nothing written
    }

    [Fact]
    public async Task AtTheDeadline_TheServiceMarksEntries_ByItself()
    {
        await using var rig = await StartAsync();
        await rig.SubmitOkAsync(rig.Form());
        rig.Clock.Advance(Deadline - rig.Clock.GetUtcNow() + DeadlineEnforcer.Period);

        var marked = Task.Run(async () =>
        {
            while (await rig.ScalarAsync<string?>("SELECT deadline_rule FROM submissions") is null)
            {
                await rig.Clock.WhenTimerSetAsync();
                rig.Clock.Advance(DeadlineEnforcer.Period);
            }
        });
        await marked.WaitAsync(Bound);
        Assert.Equal(EntryRules.Rules.NoFile, await rig.ScalarAsync<string>("SELECT deadline_rule FROM submissions"));
    }

    [Fact]
    public async Task Withdrawing_IsKept_AndRefusedForAnEntryPromotedToTheShow()
    {
        await using var rig = await StartAsync();
        var secret = await rig.SubmitOkAsync(rig.Form());
        var promoted = await rig.SubmitOkAsync(rig.Form(category: 1, email: "z@example.org"));
        await rig.ExecuteAsync("""
            INSERT INTO entries (id, category_id, position, title, editors, music_artist, music_title) VALUES (77, @c, 1, 'T', '["E"]', 'A', 'S');
            UPDATE submissions SET promoted_entry_id = 77 WHERE secret_hash = @h;
            """, new { c = rig.Categories[1], h = EntrySecrets.Hash(promoted) });

        using var first = await rig.Anonymous.PostAsync($"/api/enter/entries/{secret}/withdraw", null).WaitAsync(Bound);
        var at = (await first.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Bound)).GetProperty("withdrawnAt").GetString();
        using var again = await rig.Anonymous.PostAsync($"/api/enter/entries/{secret}/withdraw", null).WaitAsync(Bound);
        Assert.Equal(at, (await again.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Bound)).GetProperty("withdrawnAt").GetString());
        var view = (await rig.GetEntryAsync(secret)).Body;
        Assert.False(view.GetProperty("canWithdraw").GetBoolean());
        Assert.False(view.GetProperty("canReplaceFile").GetBoolean());

        using var refused = await rig.Anonymous.PostAsync($"/api/enter/entries/{promoted}/withdraw", null).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("promoted", RefusalOf(await refused.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Bound)).Rule);
    }

    [Fact]
    public async Task RulesPage_TellsTheContestsRules_AndCategories()
    {
        await using var rig = await StartAsync();
        var rules = await JsonAsync(rig.Anonymous, "/api/enter/rules");

        Assert.Equal("open", rules.GetProperty("state").GetString());
        Assert.Equal("America/Los_Angeles", rules.GetProperty("timeZone").GetString());
        Assert.Equal(Deadline, rules.GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal("2025-09-01", rules.GetProperty("premieredAfter").GetString());
        Assert.Equal(3, rules.GetProperty("maxPerPerson").GetInt32());
        Assert.Equal(1, rules.GetProperty("maxPerPersonPerCategory").GetInt32());
        Assert.Equal(330, rules.GetProperty("maxFileMegabytes").GetInt32());
        var categories = rules.GetProperty("categories").EnumerateArray().ToList();
        Assert.Equal(4, categories.Count);
        Assert.Equal("Stories that move you.", categories[1].GetProperty("description").GetString());
        Assert.Equal(6, categories[1].GetProperty("finalistLimit").GetInt32());
    }

    [Fact]
    public async Task Portal_IsRateLimitedPerAddress()
    {
        await using var rig = await StartAsync(new Dictionary<string, string?> { ["Amv:Entries:SubmitBurst"] = "3", ["Amv:Entries:ReadBurst"] = "5" });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await rig.SubmitAsync(rig.Form(category: i % 4, email: $"p{i}@example.org"))).Response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        var reads = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await rig.Anonymous.GetAsync("/api/enter/rules").WaitAsync(Bound);
            reads.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Equal(5, reads.Count(s => s == HttpStatusCode.OK));
    }

    private static JsonObject Without(JsonObject form, string field)
    {
        var copy = form.DeepClone().AsObject();
        copy.Remove(field);
        return copy;
    }

    private static JsonObject With(JsonObject form, string field, JsonNode? value)
    {
        var copy = form.DeepClone().AsObject();
        copy[field] = value?.DeepClone();
        return copy;
    }
}
