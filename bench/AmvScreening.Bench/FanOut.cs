using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using AmvScreening.Audience;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;

namespace AmvScreening.Bench;

/// <summary>
/// The show's pushes at hall scale (docs/benchmarks.md): thousands of phones connected to the show hub over real
/// WebSockets on loopback, and the player reporting each finalist's intro, video and outro. For each hall size it times
/// the player's reports from call to acknowledgement, the time until the last phone has the new show state, and counts
/// the bytes each phone received per video start.
/// </summary>
internal static class FanOut
{
    public static async Task<int> RunAsync(IReadOnlyList<int> halls, int videos)
    {
        var data = Directory.CreateTempSubdirectory("amv-bench-fanout-").FullName;
        var phones = new List<Phone>();
        try
        {
            await using var server = await BenchServer.StartAsync(data);
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var entries = await ShowOrderAsync(http);
            if (entries.Count < halls.Count * videos)
            {
                Console.Error.WriteLine($"The sample contest has {entries.Count} finalists: {halls.Count} halls × {videos} videos need more.");
                return 2;
            }

            await using var player = new HubConnectionBuilder()
                .WithShowHub(new Uri(server.BaseAddress, ShowHubContract.Path), o => o.Headers[ShowHubContract.ApiKeyHeader] = BenchServer.PlayerKey)
                .Build();
            await player.StartAsync();
            var sequence = (await player.InvokeAsync<ShowState>(ShowHubMethods.GetShow)).Sequence;

            Console.WriteLine($"AmvScreening show fan-out — {Environment.ProcessorCount} cores, {videos} finalists per hall " +
                              "(intro, video, outro each), the phones on raw WebSockets");
            Console.WriteLine("| phones | report ack p50 / p95 / max ms | video start ack p50 / max ms | last phone has it p50 / max ms | bytes per phone per video start: mean (last) | messages per phone per video start |");
            Console.WriteLine("|---|---|---|---|---|---|");
            var next = 0;
            foreach (var hall in halls)
            {
                await ConnectAsync(server.BaseAddress, phones, hall);
                var acks = new List<double>();
                var videoAcks = new List<double>();
                var delivered = new List<double>();
                var videoBytes = new List<double>();
                long videoMessages = 0;
                foreach (var entry in entries.Skip(next).Take(videos))
                {
                    foreach (var phase in new[] { ShowPhase.IntroSlate, ShowPhase.Video, ShowPhase.OutroSlate })
                    {
                        var before = phones.Select(p => p.Counts).ToArray();
                        var report = new OnScreenReport(++sequence, phase, entry, null, DateTimeOffset.UtcNow, 30, 0);
                        var sent = Stopwatch.GetTimestamp();
                        await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, report);
                        var ack = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                        var last = await EveryPhoneHasAsync(phones, sequence);
                        acks.Add(ack);
                        delivered.Add(Stopwatch.GetElapsedTime(sent, last).TotalMilliseconds);
                        if (phase == ShowPhase.Video)
                        {
                            videoAcks.Add(ack);
                            videoBytes.Add(phones.Select((p, i) => p.Counts.Bytes - before[i].Bytes).Average());
                            videoMessages += phones.Select((p, i) => p.Counts.Messages - before[i].Messages).Sum();
                        }
                    }
                }

                next += videos;
                Console.WriteLine($"| {phones.Count:N0} | {Median(acks):F1} / {Percentile(acks, 0.95):F1} / {acks.Max():F1} | {Median(videoAcks):F1} / {videoAcks.Max():F1} | " +
                                  $"{Median(delivered):F1} / {delivered.Max():F1} | {videoBytes.Average():N0} ({videoBytes[^1]:N0}) | " +
                                  $"{(double)videoMessages / videos / phones.Count:F1} |");
            }

            var snapshot = await http.GetByteArrayAsync("/api/voting");
            Console.WriteLine($"GET /api/voting (the whole voting snapshot) is now {snapshot.Length:N0} bytes.");
            return 0;
        }
        finally
        {
            await Task.WhenAll(phones.Select(p => p.DisposeAsync().AsTask()));
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>The finalists' ids in show order (the coordinator's view of the contest).</summary>
    private static async Task<IReadOnlyList<int>> ShowOrderAsync(HttpClient http)
    {
        var staff = await CoordinatorSession.SignInAsync(http, BenchServer.Password, CancellationToken.None);
        var contest = await staff.GetAsync<JsonElement>("/api/contest", CancellationToken.None);
        return contest.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt32()).ToList();
    }

    /// <summary>Connects phones until there are <paramref name="count"/>, 64 handshakes at a time.</summary>
    private static async Task ConnectAsync(Uri server, List<Phone> phones, int count)
    {
        var hub = new UriBuilder(new Uri(server, ShowHubContract.Path)) { Scheme = "ws" }.Uri;
        var added = new Phone[Math.Max(0, count - phones.Count)];
        var watch = Stopwatch.StartNew();
        await Parallel.ForAsync(0, added.Length, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) => added[i] = await Phone.ConnectAsync(hub, ct));
        phones.AddRange(added);
        Console.Error.WriteLine($"  {phones.Count:N0} phones connected ({added.Length:N0} in {watch.Elapsed.TotalSeconds:F1} s)");
    }

    /// <summary>Waits until every phone has received the show state of <paramref name="sequence"/>; returns when the last
    /// one did (a <see cref="Stopwatch"/> timestamp).</summary>
    private static async Task<long> EveryPhoneHasAsync(List<Phone> phones, long sequence)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        while (phones.Any(p => p.ShowSequence < sequence))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{phones.Count(p => p.ShowSequence < sequence)} phones did not get show state {sequence} within 60 s.");
            }

            await Task.Delay(1);
        }

        return phones.Max(p => p.ShowAt);
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    /// <summary>The nearest-rank percentile: the smallest value that at least <paramref name="fraction"/> of the values
    /// do not exceed.</summary>
    private static double Percentile(List<double> values, double fraction) =>
        values.Order().ElementAt(Math.Max(0, (int)Math.Ceiling(fraction * values.Count) - 1));

    /// <summary>A phone: a bare WebSocket speaking SignalR's JSON protocol, reading every push, counting its bytes and
    /// noting when the show state of each sequence arrived.</summary>
    private sealed class Phone : IAsyncDisposable
    {
        private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
        private readonly ClientWebSocket _socket = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly List<byte> _message = [];
        private long _bytes, _messages, _showSequence, _showAt;
        private Task _reading = Task.CompletedTask;

        /// <summary>Bytes and SignalR messages received so far.</summary>
        public (long Bytes, long Messages) Counts => (Interlocked.Read(ref _bytes), Interlocked.Read(ref _messages));

        /// <summary>The sequence of the last show state received.</summary>
        public long ShowSequence => Interlocked.Read(ref _showSequence);

        /// <summary>When it came (a <see cref="Stopwatch"/> timestamp).</summary>
        public long ShowAt => Interlocked.Read(ref _showAt);

        public static async Task<Phone> ConnectAsync(Uri hub, CancellationToken ct)
        {
            var phone = new Phone();
            await phone._socket.ConnectAsync(hub, ct);
            await phone._socket.SendAsync(Handshake, WebSocketMessageType.Text, true, ct);
            phone._reading = Task.Run(phone.ReadAsync, CancellationToken.None);
            return phone;
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    Interlocked.Add(ref _bytes, received.Count);
                    foreach (var b in buffer.AsSpan(0, received.Count))
                    {
                        if (b == 0x1e)
                        {
                            Take(_message.ToArray());
                            _message.Clear();
                        }
                        else
                        {
                            _message.Add(b);
                        }
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException)
            {
            }
        }

        /// <summary>One SignalR message: a ShowChanged notes its sequence and when it came.</summary>
        private void Take(byte[] message)
        {
            Interlocked.Increment(ref _messages);
            using var json = JsonDocument.Parse(message);
            if (json.RootElement.TryGetProperty("target", out var target) && target.GetString() == ShowHubMethods.ShowChanged)
            {
                Interlocked.Exchange(ref _showAt, Stopwatch.GetTimestamp());
                Interlocked.Exchange(ref _showSequence, json.RootElement.GetProperty("arguments")[0].GetProperty("sequence").GetInt64());
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _reading;
            _socket.Dispose();
            _stop.Dispose();
        }
    }
}
