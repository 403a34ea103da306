using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using AmvScreening.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AmvScreening.Tests.Web;

/// <summary>
/// What a phone downloads the first time it opens the QR's URL, measured in Chromium from the DevTools protocol's
/// Network events (bytes on the wire, headers included, compressed as served), and the offline shell's service worker
/// (its script and whatever it downloads itself, which the page's own events do not show): the budget is 60 KB in at
/// most 6 requests.
/// </summary>
public sealed class VoterWebWeightTests(Browser browser, ITestOutputHelper output) : IClassFixture<Browser>
{
    public const int BudgetBytes = 60 * 1024;
    public const int BudgetRequests = 6;

    static VoterWebWeightTests() => VoterPageChecks.Init();

    [Fact]
    public async Task FirstLoad_UntilThePhoneCanRate_IsAtMost60KB_InAtMost6Requests()
    {
        await using var show = await VoterShow.StartAsync();
        var entry = show.Entries[0];
        await show.PlayAsync(entry.Id);
        var code = await show.RoomCodeAsync();
        var page = await show.NewPhoneAsync(browser);
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var traffic = new NetworkLog(cdp);
        // Every finished request of the context, the service worker's included (one still open, or given up, has no
        // sizes to ask for; the worker's downloads are finished once it controls the page, which is awaited below).
        var worker = new ConcurrentQueue<IRequest>();
        page.Context.RequestFinished += (_, request) => worker.Enqueue(request);
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.setCacheDisabled", new() { ["cacheDisabled"] = true });

        await page.GotoAsync($"/v/{code}");
        // Ready: joined, the hub live, the first full refresh done, the stars of the entry on screen showing.
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-synced", "1");
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-conn", "live");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Rate 5 of 5 stars for {entry.Title}", Exact = true })).ToBeVisibleAsync();
        // The offline shell installed: the service worker has kept the page and the bundle, and controls the page.
        await page.WaitForFunctionAsync("() => !!navigator.serviceWorker.controller");
        var requests = (await traffic.SettledAsync(Browser.Bound)).ToList();
        // What the page's own events do not show: the service worker's script and its downloads. A request served from
        // the browser's HTTP cache (no bytes on the wire) costs nothing; the page's own requests are already counted.
        var seen = requests.Select(r => (r.Method, r.Url)).ToList();
        foreach (var request in worker)
        {
            // Chromium sometimes never answers Playwright's sizes() (microsoft/playwright#9350): such a request is
            // fetched again the way the browser asks for it (gzip) and its bytes on the wire are counted instead.
            RequestSizesResult? sizes = null;
            try
            {
                sizes = await request.SizesAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
            }

            if (sizes is { } known ? known.ResponseHeadersSize + known.ResponseBodySize <= 0 || seen.Remove((request.Method, request.Url))
                    : seen.Remove((request.Method, request.Url)))
            {
                continue;
            }

            if (sizes is null)
            {
                requests.Add(await FetchAgainAsync(request.Url, requests.Count));
                continue;
            }

            var response = await request.ResponseAsync().WaitAsync(Browser.Bound);
            requests.Add(new NetworkLog.Entry
            {
                Order = requests.Count, Method = request.Method, Url = request.Url, Kind = "Worker",
                Encoding = response is null ? "" : (await response.AllHeadersAsync()).GetValueOrDefault("content-encoding", ""),
                Bytes = sizes.ResponseHeadersSize + sizes.ResponseBodySize, Done = true,
            });
        }

        var total = requests.Sum(r => r.Bytes);
        var report = new StringBuilder()
            .AppendLine($"Voter app first load: {total:N0} bytes ({total / 1024.0:0.0} KB) in {requests.Count} requests (budget {BudgetBytes / 1024} KB, {BudgetRequests} requests)");
        foreach (var r in requests)
        {
            report.AppendLine($"  {r.Bytes,7:N0} B  {r.Kind,-9} {r.Encoding,-5} {r.Method} {r.Path}");
        }

        output.WriteLine(report.ToString());
        Console.WriteLine(report.ToString());
        Assert.True(total <= BudgetBytes, report.ToString());
        Assert.True(requests.Count <= BudgetRequests, report.ToString());
        // The app itself is served compressed (gzip over plain HTTP; Chromium asks for Brotli only over HTTPS).
        Assert.All(requests.Where(r => r.Kind is "Document" or "Script"), r => Assert.NotEqual("", r.Encoding));
    }

    /// <summary>A worker's request whose sizes Chromium did not give: the same GET, compressed as Chromium asks over
    /// plain HTTP, its status line, headers and body counted as they come over the wire.</summary>
    private static async Task<NetworkLog.Entry> FetchAgainAsync(string url, int order)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None }) { Timeout = Browser.Bound };
        using var ask = new HttpRequestMessage(HttpMethod.Get, url);
        ask.Headers.AcceptEncoding.ParseAdd("gzip, deflate");
        using var response = await http.SendAsync(ask);
        var body = await response.Content.ReadAsByteArrayAsync();
        var headers = response.Headers.Concat(response.Content.Headers).Sum(h => h.Key.Length + 4 + string.Join(", ", h.Value).Length);
        return new NetworkLog.Entry
        {
            Order = order, Method = "GET", Url = url, Kind = "Worker (again)",
            Encoding = string.Join(",", response.Content.Headers.ContentEncoding), Bytes = 17 + headers + 2 + body.Length, Done = true,
        };
    }

    /// <summary>Every request of the page from the Network domain's events; a WebSocket's bytes are its handshake
    /// response (as headers) and the frames it received.</summary>
    private sealed class NetworkLog
    {
        private readonly ConcurrentDictionary<string, Entry> _entries = new();
        private readonly object _changed = new();
        private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public NetworkLog(ICDPSession cdp)
        {
            cdp.Event("Network.requestWillBeSent").OnEvent += (_, e) => Update(e, (entry, p) =>
            {
                entry.Method = p.GetProperty("request").GetProperty("method").GetString()!;
                entry.Url = p.GetProperty("request").GetProperty("url").GetString()!;
                entry.Kind = p.TryGetProperty("type", out var type) ? type.GetString()! : "Other";
            });
            cdp.Event("Network.responseReceived").OnEvent += (_, e) => Update(e, (entry, p) =>
            {
                var headers = p.GetProperty("response").GetProperty("headers");
                entry.Encoding = headers.EnumerateObject().FirstOrDefault(h => h.Name.Equals("content-encoding", StringComparison.OrdinalIgnoreCase)).Value
                    is { ValueKind: JsonValueKind.String } value ? value.GetString()! : "";
            });
            cdp.Event("Network.loadingFinished").OnEvent += (_, e) => Update(e, (entry, p) =>
            {
                entry.Bytes = (long)p.GetProperty("encodedDataLength").GetDouble();
                entry.Done = true;
            });
            cdp.Event("Network.loadingFailed").OnEvent += (_, e) => Update(e, (entry, _) => entry.Done = true);
            cdp.Event("Network.webSocketCreated").OnEvent += (_, e) => Update(e, (entry, p) =>
            {
                (entry.Method, entry.Url, entry.Kind, entry.Done) = ("GET", p.GetProperty("url").GetString()!, "WebSocket", true);
            });
            cdp.Event("Network.webSocketHandshakeResponseReceived").OnEvent += (_, e) => Update(e, (entry, p) =>
            {
                var response = p.GetProperty("response");
                entry.Bytes += response.TryGetProperty("headersText", out var text) && text.ValueKind == JsonValueKind.String
                    ? Encoding.UTF8.GetByteCount(text.GetString()!)
                    : response.GetProperty("headers").EnumerateObject().Sum(h => h.Name.Length + h.Value.ToString().Length + 4) + 40;
            });
            cdp.Event("Network.webSocketFrameReceived").OnEvent += (_, e) => Update(e, (entry, p) =>
                entry.Bytes += Encoding.UTF8.GetByteCount(p.GetProperty("response").GetProperty("payloadData").GetString()!) + 2);
        }

        /// <summary>The requests once every one of them has finished (bounded).</summary>
        public async Task<IReadOnlyList<Entry>> SettledAsync(TimeSpan bound)
        {
            using var timeout = new CancellationTokenSource(bound);
            while (true)
            {
                Task signal;
                lock (_changed)
                {
                    if (_entries.Values.All(e => e.Done && e.Url is not null))
                    {
                        return _entries.Values.OrderBy(e => e.Order).ToList();
                    }

                    signal = _signal.Task;
                }

                await signal.WaitAsync(timeout.Token);
            }
        }

        private void Update(JsonElement? e, Action<Entry, JsonElement> apply)
        {
            var p = e!.Value;
            var entry = _entries.GetOrAdd(p.GetProperty("requestId").GetString()!, _ => new Entry { Order = _entries.Count });
            lock (_changed)
            {
                apply(entry, p);
                _signal.TrySetResult();
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public sealed class Entry
        {
            public int Order { get; init; }
            public string Method { get; set; } = "";
            public string? Url { get; set; }
            public string Kind { get; set; } = "";
            public string Encoding { get; set; } = "";
            public long Bytes { get; set; }
            public bool Done { get; set; }
            public string Path => Url is null ? "?" : new Uri(Url).PathAndQuery;
        }
    }
}
