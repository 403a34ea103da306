using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace AmvScreening.Audience.Processes;

/// <summary>
/// The built server as its own process on a loopback port it picks, with a fresh data folder (removed afterwards), one
/// category of finalists and secrets of its own: what the simulations run against when no server is named
/// (<c>./amv bench-flags</c>). <c>--Amv:Flags:TimeScale</c> makes it judge at the simulation's pace.
/// </summary>
public sealed class FreshServer : IAsyncDisposable
{
    private const string ListeningMarker = "Now listening on: ";
    private static readonly TimeSpan ListenBound = TimeSpan.FromSeconds(60);

    private readonly LoggedProcess _process;
    private readonly string _data;

    private FreshServer(LoggedProcess process, string data, Uri url, string password, string playerApiKey) =>
        (_process, _data, Url, CoordinatorPassword, PlayerApiKey) = (process, data, url, password, playerApiKey);

    public Uri Url { get; }
    public string CoordinatorPassword { get; }
    public string PlayerApiKey { get; }

    /// <summary>Starts it with <paramref name="finalists"/> finalists in its one category, and returns once it listens.</summary>
    public static async Task<FreshServer> StartAsync(int finalists, double timeScale, TextWriter output, CancellationToken ct)
    {
        var server = Repository.Built(Repository.ServerDll);
        var data = Directory.CreateTempSubdirectory("amv-bench-flags-").FullName;
        var contest = Path.Combine(data, "contest.json");
        await File.WriteAllTextAsync(contest, JsonSerializer.Serialize(new
        {
            contest = new { name = "Ballot integrity simulation", year = 2026 },
            categories = new[] { "Simulation" },
            finalists = Enumerable.Range(1, finalists).Select(i => new
            {
                category = "Simulation", order = i, title = $"Finalist {i}", editors = new[] { $"Editor {i}" }, musicArtist = "Artist", musicTitle = "Song",
            }),
        }), ct);

        var (password, key) = (Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));
        var scale = timeScale.ToString(CultureInfo.InvariantCulture);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = Path.Combine(data, "server.log");
        var process = LoggedProcess.StartDotnet(
            "amv bench-flags", log,
            [server, "--urls", "http://127.0.0.1:0", $"--Amv:DataDirectory={data}", $"--Amv:ImportOnFirstStart={contest}", $"--Amv:Flags:TimeScale={scale}"],
            new Dictionary<string, string> { ["Amv__Auth__CoordinatorPassword"] = password, ["Amv__Auth__PlayerApiKey"] = key },
            line =>
            {
                if (line.IndexOf(ListeningMarker, StringComparison.Ordinal) is >= 0 and var at)
                {
                    listening.TrySetResult(new Uri(line[(at + ListeningMarker.Length)..].Trim()));
                }
            });
        try
        {
            var first = await Task.WhenAny(listening.Task, process.ExitedAsync(ct)).WaitAsync(ListenBound, ct);
            if (first != listening.Task)
            {
                throw new AmvFailure("the server stopped during start-up.", log);
            }
        }
        catch (Exception e)
        {
            var failure = e is TimeoutException ? new AmvFailure($"the server did not listen within {ListenBound.TotalSeconds} s.", log) : null;
            await process.DisposeAsync();
            Directory.Delete(data, recursive: true);
            if (failure is not null)
            {
                throw failure;
            }

            throw;
        }

        var url = await listening.Task;
        output.WriteLine($"==> Server process on {url.GetLeftPart(UriPartial.Authority)} (data: {data}, flag rules at {scale}x)");
        return new FreshServer(process, data, url, password, key);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}
