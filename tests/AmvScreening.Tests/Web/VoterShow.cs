using System.Net.Http.Json;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Tests.Contest;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Web;

/// <summary>
/// The sample contest on the real server (Kestrel on loopback), with the player's hub connection and a signed-in
/// coordinator, for the voter app's browser tests: phones are Chromium pages opened at the QR's URL.
/// </summary>
internal sealed class VoterShow : IAsyncDisposable
{
    private readonly List<IBrowserContext> _phones = [];
    private long _sequence;

    private VoterShow(AmvServer server, HttpClient coordinator, HubConnection player, JsonElement contest)
    {
        Server = server;
        Coordinator = coordinator;
        Player = player;
        Entries = contest.GetProperty("entries").EnumerateArray()
            .Select(e => new Finalist(
                e.GetProperty("id").GetInt32(),
                e.GetProperty("categoryId").GetInt32(),
                e.GetProperty("title").GetString()!,
                e.GetProperty("editors").EnumerateArray().Select(n => n.GetString()!).ToList()))
            .ToList();
        Categories = contest.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).ToList();
        CategoryNames = contest.GetProperty("categories").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetInt32(), c => c.GetProperty("name").GetString()!);
        ContestName = contest.GetProperty("contest").GetProperty("name").GetString()!;
    }

    public AmvServer Server { get; }

    public HttpClient Coordinator { get; }

    /// <summary>The player's hub connection (a new one after <see cref="PlayerReturnsAsync"/>).</summary>
    public HubConnection Player { get; private set; }

    /// <summary>Every finalist, in show order.</summary>
    public IReadOnlyList<Finalist> Entries { get; }

    /// <summary>Category ids, in show order.</summary>
    public IReadOnlyList<int> Categories { get; }

    /// <summary>Category id → name.</summary>
    public IReadOnlyDictionary<int, string> CategoryNames { get; }

    /// <summary>The contest's own name.</summary>
    public string ContestName { get; }

    public sealed record Finalist(int Id, int CategoryId, string Title, IReadOnlyList<string> Editors)
    {
        /// <summary>The editors as the phone app writes them in English ("A & B").</summary>
        public string By => string.Join(" & ", Editors);
    }

    public IReadOnlyList<Finalist> InCategory(int categoryId) => Entries.Where(e => e.CategoryId == categoryId).ToList();

    /// <param name="settings">More server settings (configuration keys).</param>
    /// <param name="clock">The server's clock, instead of the system's.</param>
    /// <param name="dataDirectory">Where the server keeps its data (a temporary folder when not given).</param>
    public static async Task<VoterShow> StartAsync(
        IDictionary<string, string?>? settings = null, TimeProvider? clock = null, string? dataDirectory = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json"),
        };
        var server = new AmvServer(all, dataDirectory, clock: clock);
        var coordinator = await server.CreateStaffClientAsync();
        var player = server.CreatePlayerHub();
        await player.StartAndSyncAsync();
        return new VoterShow(server, coordinator, player, await ContestApi.GetContestAsync(coordinator));
    }

    public async Task<string> RoomCodeAsync() => (await Coordinator.GetFromJsonAsync<RoomInfo>("/api/room").WaitAsync(Bound))!.Code;

    /// <summary>A phone (390×844) on this server, closed with the show (so it stops reconnecting to a stopped server).</summary>
    public async Task<IPage> NewPhoneAsync(Browser browser, string locale = "en-US")
    {
        var page = await browser.NewPhoneAsync(Server.BaseAddress, locale);
        _phones.Add(page.Context);
        return page;
    }

    /// <summary>A desktop window of the given size (the screen view in a lobby or a stream's browser source), closed with the show.</summary>
    public async Task<IPage> NewScreenAsync(Browser browser, int width, int height)
    {
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout((float)Browser.Bound.TotalMilliseconds);
        _phones.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>A phone (390×844) that opened the QR's URL, <c>/v/{room code}</c> (or <paramref name="code"/>).</summary>
    public async Task<IPage> OpenPhoneAsync(Browser browser, string? code = null, string locale = "en-US")
    {
        var page = await NewPhoneAsync(browser, locale);
        await page.GotoAsync($"/v/{code ?? await RoomCodeAsync()}");
        return page;
    }

    /// <summary>The player reports what is on screen, as the real player does over the hub.</summary>
    public Task ReportAsync(ShowPhase phase, int? entryId = null) =>
        Player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(Interlocked.Increment(ref _sequence), phase, entryId)).WaitAsync(Bound);

    /// <summary>The player reports a category's title card.</summary>
    public Task ReportCategoryCardAsync(int categoryId) => Player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen,
        Report(Interlocked.Increment(ref _sequence), ShowPhase.CategoryCard) with { CategoryId = categoryId }).WaitAsync(Bound);

    /// <summary>The coordinator shows a prizegiving step (<c>POST /api/ceremony/show</c>); the player reports the slate
    /// as the real one does (its scope, its winner from the public results).</summary>
    public async Task ShowAsync(string kind, string scope)
    {
        await PostAsync("/api/ceremony/show", new { kind, scope });
        var categoryId = ResultsContract.Scopes.CategoryIdOf(scope);
        var winner = kind == "prize" ? (await Coordinator.GetFromJsonAsync<PublicResults>("/api/results").WaitAsync(Bound))!.WinnerOf(scope) : null;
        await Player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(Interlocked.Increment(ref _sequence),
            kind == "prize" ? ShowPhase.Winner : ShowPhase.Nominees, winner?.Id) with { CategoryId = categoryId, Scope = scope }).WaitAsync(Bound);
    }

    /// <summary>The player's connection closes (the player died or lost the network).</summary>
    public Task PlayerLeavesAsync() => Player.DisposeAsync().AsTask().WaitAsync(Bound);

    /// <summary>The player connects again (it has not reported yet).</summary>
    public async Task PlayerReturnsAsync()
    {
        Player = Server.CreatePlayerHub();
        await Player.StartAndSyncAsync();
    }

    /// <summary>The entry's intro slate, then its video (which opens voting on it).</summary>
    public async Task PlayAsync(int entryId)
    {
        await ReportAsync(ShowPhase.IntroSlate, entryId);
        await ReportAsync(ShowPhase.Video, entryId);
    }

    public Task PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body);

    public async Task SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Coordinator.SendAsync(request).WaitAsync(Bound);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The coordinator's tally row of an entry: (online votes, mean).</summary>
    public Task<(int Online, decimal? Mean)> TallyAsync(int entryId) => TallyAsync(Coordinator, entryId);

    /// <summary>The tally row of an entry as a coordinator's client reads it: (online votes, mean).</summary>
    public static async Task<(int Online, decimal? Mean)> TallyAsync(HttpClient coordinator, int entryId)
    {
        var tally = await coordinator.GetFromJsonAsync<JsonElement>("/api/tallies").WaitAsync(Bound);
        var row = tally.GetProperty("categories").EnumerateArray().SelectMany(c => c.GetProperty("rows").EnumerateArray())
            .Single(r => r.GetProperty("entryId").GetInt32() == entryId);
        var online = row.GetProperty("online").EnumerateObject().Sum(p => p.Value.GetInt32());
        var mean = row.GetProperty("mean");
        return (online, mean.ValueKind == JsonValueKind.Null ? null : mean.GetDecimal());
    }

    /// <summary>Best In Show picks per entry, from the coordinator's tally.</summary>
    public async Task<int> PicksAsync(int entryId)
    {
        var tally = await Coordinator.GetFromJsonAsync<JsonElement>("/api/tallies").WaitAsync(Bound);
        return tally.GetProperty("bestInShow").GetProperty("rows").EnumerateArray()
            .Where(r => r.GetProperty("entryId").GetInt32() == entryId).Sum(r => r.GetProperty("picks").GetInt32());
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var phone in _phones)
        {
            await phone.CloseAsync().WaitAsync(Bound);
        }

        await Player.DisposeAsync();
        Coordinator.Dispose();
        Server.Dispose();
    }
}
