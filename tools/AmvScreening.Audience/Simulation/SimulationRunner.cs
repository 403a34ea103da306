using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AmvScreening.Protocol;
using CsvHelper;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AmvScreening.Audience.Simulation;

/// <summary>Where and as whom the simulation runs.</summary>
/// <param name="Category">The category played, from 1 in show order; it must have at least the plan's entries.</param>
public sealed record SimulationTarget(Uri Server, string CoordinatorPassword, string PlayerApiKey, int Category = 1);

/// <summary>
/// Plays a <see cref="Scenario"/> against a real server over HTTP and the show hub: as the player, it reports each
/// intro, video and outro of the category at its time (a video opens voting on its entry); as each phone, it joins with
/// the room code, opens the live connection with its voter cookie as the phone app does (or not), and votes. Every
/// phone comes from this machine's address, as a hall behind one convention Wi-Fi address does. Then it reads the
/// tally and the votes export to tell which phones were flagged.
/// </summary>
public sealed class SimulationRunner(SimulationTarget target, SimClock clock)
{
    /// <summary>Plays the scenario; every <paramref name="observeEvery"/> of the show (default 30 s) it also reads the
    /// tally as the coordinator's console would, to see what was flagged while the show went on.</summary>
    public async Task<SimulationResult> RunAsync(Scenario scenario, TimeSpan? observeEvery = null, CancellationToken ct = default)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 256 })
        {
            BaseAddress = target.Server,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var staff = await CoordinatorSession.SignInAsync(http, target.CoordinatorPassword, ct);
        var room = await staff.GetAsync<RoomInfo>("/api/room", ct);
        var (categoryId, entries) = await CategoryAsync(staff, scenario.Show.Entries, ct);
        var show = await CoordinatorSession.GetPublicAsync<ShowState>(http, "/api/show", ct);
        var hubUrl = new Uri(target.Server, ShowHubContract.Path);
        var startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await using var player = Hub(hubUrl, o => o.Headers[ShowHubContract.ApiKeyHeader] = target.PlayerApiKey);
        await player.StartAsync(ct);
        var phones = scenario.Phones.Select(p => new Phone(p)).ToList();
        var wall = Stopwatch.StartNew();
        var observations = new List<Observation>();
        var actors = new List<Func<Task>>
        {
            () => PlayAsync(player, scenario.Show, show.Sequence, categoryId, entries, ct),
            () => ObserveAsync(staff, observeEvery ?? TimeSpan.FromSeconds(30), scenario.Show.End, observations, ct),
        };
        actors.AddRange(phones.Select(phone => (Func<Task>)(() => PhoneAsync(phone, http, hubUrl, room.Code, entries, startMs, ct))));
        try
        {
            await clock.RunAsync(actors, ct);
        }
        finally
        {
            await Task.WhenAll(phones.Where(p => p.Hub is not null).Select(p => p.Hub!.DisposeAsync().AsTask()));
        }

        var elapsed = wall.Elapsed;
        var tally = await staff.GetAsync<Tally>("/api/tallies", ct);
        var flaggedPhones = await FlaggedPhonesAsync(staff, phones, ct);
        return SimulationResult.Of(phones.Select(p => p.Outcome(flaggedPhones.Contains(p.Script.Id))).ToList(), tally, categoryId, elapsed, observations);
    }

    private async Task ObserveAsync(CoordinatorSession staff, TimeSpan every, TimeSpan end, List<Observation> observations, CancellationToken ct)
    {
        for (var at = every; at <= end; at += every)
        {
            await clock.UntilAsync(at, ct);
            var tally = await staff.GetAsync<Tally>("/api/tallies", ct);
            observations.Add(new Observation(at, tally.Flags.Count(f => f.Flagged), tally.Flags.Where(f => f.Flagged).Sum(f => f.Voters)));
        }
    }

    /// <summary>The player's reports: intro, video, outro of each entry at its time.</summary>
    private async Task PlayAsync(HubConnection player, ShowPlan plan, long sequence, int categoryId, IReadOnlyList<int> entries, CancellationToken ct)
    {
        for (var i = 0; i < plan.Entries; i++)
        {
            foreach (var (at, phase, length) in new[]
                     {
                         (plan.IntroStart(i), ShowPhase.IntroSlate, plan.Intro), (plan.VideoStart(i), ShowPhase.Video, plan.Video),
                         (plan.OutroStart(i), ShowPhase.OutroSlate, plan.Outro),
                     })
            {
                await clock.UntilAsync(at, ct);
                await player.InvokeAsync<ShowState>(
                    ShowHubMethods.ReportOnScreen,
                    new OnScreenReport(++sequence, phase, entries[i], categoryId, DateTimeOffset.UtcNow, length.TotalSeconds, 0),
                    ct);
            }
        }
    }

    /// <summary>One phone: join, open the live connection, vote, as its script says.</summary>
    private async Task PhoneAsync(Phone phone, HttpClient http, Uri hubUrl, string roomCode, IReadOnlyList<int> entries, long startMs, CancellationToken ct)
    {
        var script = phone.Script;
        await clock.UntilAsync(script.JoinAt, ct);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.PostAsJsonAsync("/api/voters", new { roomCode }, ct);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // The phone app waits as long as the server asks, then tries again (real time: the limits are real).
                phone.TooManyRequests++;
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), ct);
                continue;
            }

            if (response.StatusCode != HttpStatusCode.Created)
            {
                phone.Errors.Add($"join: {(int)response.StatusCode}");
                return;
            }

            phone.Token = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()!;
            phone.JoinLatency = watch.Elapsed;
            break;
        }

        // The person sees the page once the join is answered: their delays count from then, however slow it was.
        var lag = clock.Now > script.JoinAt ? clock.Now - script.JoinAt : TimeSpan.Zero;
        if (script.ConnectAt is { } connectAt)
        {
            await clock.UntilAsync(connectAt + lag, ct);
            try
            {
                // The phone's voter cookie goes with the WebSocket upgrade; GetShow is what the phone asks first.
                phone.Hub = Hub(hubUrl, o => o.Headers["Cookie"] = $"amv.voter={phone.Token}");
                await phone.Hub.StartAsync(ct);
                await phone.Hub.InvokeAsync<ShowState>(ShowHubMethods.GetShow, ct);
                phone.Connected = true;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                phone.Errors.Add($"live connection: {e.Message}");
            }
        }

        foreach (var ballot in script.Ballots)
        {
            await clock.UntilAsync(ballot.At + lag, ct);
            var sequence = ballot.Sequence is { } ms ? startMs + ms : 0;
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/votes/{entries[ballot.Entry]}")
                {
                    Content = JsonContent.Create(new { score = ballot.Score, sequence }),
                };
                request.Headers.Add("X-Voter-Token", phone.Token);
                using var response = await http.SendAsync(request, ct);
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    phone.TooManyRequests++;
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), ct);
                    continue;
                }

                if (response.IsSuccessStatusCode)
                {
                    phone.Votes++;
                }
                else
                {
                    phone.Errors.Add($"vote: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                }

                break;
            }
        }
    }

    /// <summary>The phones whose ballots the votes export shows in a flagged cluster (matched by pseudonym).</summary>
    private static async Task<HashSet<int>> FlaggedPhonesAsync(CoordinatorSession staff, IReadOnlyList<Phone> phones, CancellationToken ct)
    {
        using var reader = new StringReader(await staff.GetStringAsync("/api/votes/export.csv", ct));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        await csv.ReadAsync();
        csv.ReadHeader();
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        while (await csv.ReadAsync())
        {
            if (!string.IsNullOrEmpty(csv.GetField("flag_cluster")))
            {
                flagged.Add(csv.GetField("voter")!);
            }
        }

        return phones.Where(p => p.Token is { } token && flagged.Contains(Pseudonym(token))).Select(p => p.Script.Id).ToHashSet();
    }

    /// <summary>A voter's pseudonym in the exports, from its token (voter id, contest uid, signature).</summary>
    public static string Pseudonym(string token)
    {
        var parts = token.Split('.');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{parts[1]}:{parts[0]}")))[..16];
    }

    private async Task<(int CategoryId, IReadOnlyList<int> Entries)> CategoryAsync(CoordinatorSession staff, int needed, CancellationToken ct)
    {
        var contest = await staff.GetAsync<JsonElement>("/api/contest", ct);
        var category = contest.GetProperty("categories").EnumerateArray().OrderBy(c => c.GetProperty("position").GetInt32())
            .ElementAtOrDefault(target.Category - 1);
        if (category.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"The contest has no category {target.Category}.");
        }

        var id = category.GetProperty("id").GetInt32();
        var entries = contest.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("categoryId").GetInt32() == id && !e.GetProperty("disqualified").GetBoolean())
            .OrderBy(e => e.GetProperty("position").GetInt32())
            .Select(e => e.GetProperty("id").GetInt32())
            .ToList();
        return entries.Count >= needed ? (id, entries)
            : throw new InvalidOperationException($"Category {target.Category} has {entries.Count} finalists; the simulation plays {needed}.");
    }

    private static HubConnection Hub(Uri url, Action<HttpConnectionOptions> configure) =>
        new HubConnectionBuilder().WithShowHub(url, configure).Build();

    /// <summary>A phone while it runs.</summary>
    private sealed class Phone(PhoneScript script)
    {
        public PhoneScript Script => script;
        public string? Token { get; set; }
        public HubConnection? Hub { get; set; }
        public bool Connected { get; set; }
        public TimeSpan? JoinLatency { get; set; }
        public int TooManyRequests { get; set; }
        public int Votes { get; set; }
        public ConcurrentBag<string> Errors { get; } = [];

        public PhoneOutcome Outcome(bool flagged) =>
            new(script.Id, script.Attacker, script.JoinAt, Token is not null, JoinLatency, TooManyRequests, Connected, Votes, flagged, Errors.ToList());
    }
}
