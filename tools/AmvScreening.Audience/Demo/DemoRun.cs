using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AmvScreening.Audience.Processes;
using AmvScreening.Protocol;

namespace AmvScreening.Audience.Demo;

/// <summary>
/// <c>./amv demo</c>: the sample contest end to end on this machine. The built server runs as its own process on the
/// demo's port and data folder (the secrets of <see cref="DemoCredentials"/>); this prints the voter URL, the room code,
/// the screen's QR code (asked with the coordinator's session), the console URLs and the passwords; ffmpeg makes clips
/// for the finalists' missing files; the built player plays the first category (in a window when there is a display,
/// headless otherwise and for the check), each video opening voting; <see cref="DemoAudience"/> votes, closes and
/// reveals. Then the server serves until Ctrl-C. <c>--check</c> plays short slates and clips, checks that the voter page
/// and /healthz answer, that the player's reports reached the server and that the winner is public, and stops.
/// </summary>
public sealed class DemoRun(DemoSettings settings, bool check, TextWriter output)
{
    private const string Label = "amv demo";
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(60);

    /// <summary>Runs the demo; a failure is an <see cref="AmvFailure"/>, Ctrl-C before the demo is up an
    /// <see cref="OperationCanceledException"/> once the server and the player have stopped. Returns 0 (Ctrl-C while it
    /// serves is the normal end).</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        EnsurePortFree(settings.Port);
        var server = Repository.Built(Repository.ServerDll);
        var playerDll = settings.Import is null ? null : Repository.Built(Repository.PlayerDll);
        try
        {
            Directory.CreateDirectory(settings.Data);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AmvFailure($"the demo's data folder {settings.Data} cannot be made ({e.Message}): set AMV_DEMO_DATA to another folder.");
        }

        var credentials = DemoCredentials.LoadOrCreate(settings.CredentialsFile);
        var publicBase = Authority(settings.PublicBase);
        var local = Authority(settings.Local);

        List<string> arguments = [server, "--urls", $"http://0.0.0.0:{settings.Port}", $"--Amv:DataDirectory={settings.Data}", $"--Amv:PublicBaseUrl={publicBase}"];
        if (settings.Import is not null)
        {
            arguments.Add($"--Amv:ImportOnFirstStart={settings.Import}");
        }

        if (settings.Import is not null)
        {
            var made = await SampleClips.MakeAsync(SampleClips.NamedIn(settings.Import), settings.Media, TimeSpan.FromSeconds(check ? 3 : 8), ct);
            if (made > 0)
            {
                Say($"Made {made} sample clips in {Repository.Show(settings.Media)}");
            }
        }

        Say($"Starting the server on port {settings.Port} (log: {Repository.Show(settings.ServerLog)})");
        await using var serverProcess = LoggedProcess.StartDotnet(Label, settings.ServerLog, arguments, credentials.Environment);
        LoggedProcess? player = null;
        using var http = new HttpClient { BaseAddress = settings.Local, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await WaitUntilReadyAsync(serverProcess, http, ct);
            var staff = await CoordinatorSession.SignInAsync(http, credentials.CoordinatorPassword, ct);
            var room = await staff.GetAsync<RoomInfo>("/api/room", ct);
            var qr = await staff.GetStringAsync("/qr.txt", ct);
            output.WriteLine($"""

                AmvScreening demo is running.

                  Voter URL (phones):    {room.JoinUrl}
                  Room code:             {room.Code}

                {qr.TrimEnd('\r', '\n')}

                  Coordinator console:   {publicBase}/console
                  Booth remote:          {publicBase}/console/booth
                  QR screen, posters:    {publicBase}/console/qr   {publicBase}/console/room
                  Coordinator password:  {credentials.CoordinatorPassword}
                  Booth password:        {credentials.BoothPassword}
                  Secrets:               {Repository.Show(settings.CredentialsFile)}   (player API key too)
                  Data:                  {Repository.Show(settings.Data)}
                  Server log:            {Repository.Show(settings.ServerLog)}

                """);

            if (playerDll is not null)
            {
                player = StartPlayer(playerDll, local, credentials.PlayerApiKey);
                Say($"The player plays the first category (log: {Repository.Show(settings.PlayerLog)})");
            }

            if (check)
            {
                // Asked over loopback: the same server and page, without depending on this machine's LAN.
                await ExpectOkAsync(http, new Uri(room.JoinUrl).PathAndQuery, $"the voter page {local}{new Uri(room.JoinUrl).PathAndQuery}", ct);
                await ExpectOkAsync(http, "/healthz", "/healthz", ct);
            }

            if (player is not null)
            {
                await FinishShowAsync(player, http, staff, room, local, ct);
                if (check)
                {
                    await CheckShowAsync(http, ct);
                }
            }

            if (check)
            {
                Say("Demo check passed: voter page and /healthz answer 200, the player played the first category, the audience voted, the winner is revealed. Stopping the server.");
                await serverProcess.StopAsync();
                return 0;
            }

            output.WriteLine("Press Ctrl-C to stop the server.");
            try
            {
                await serverProcess.ExitedAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }

            if (!ct.IsCancellationRequested)
            {
                throw new AmvFailure("the server stopped.", settings.ServerLog);
            }

            output.WriteLine();
            Say("Stopping the server");
            await serverProcess.StopAsync();
            return 0;
        }
        catch (Exception e) when (ServerTrouble(e) && !ct.IsCancellationRequested)
        {
            throw new AmvFailure(e.Message, settings.ServerLog);
        }
        finally
        {
            if (player is not null)
            {
                await player.DisposeAsync();
            }
        }
    }

    /// <summary>What the server binds (every address on the port) must be free: a demo still running is the usual
    /// reason it is not.</summary>
    public static void EnsurePortFree(int port)
    {
        var listener = new TcpListener(IPAddress.Any, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new AmvFailure($"port {port} is already in use (another demo still running?). Stop it, or pick another port with AMV_DEMO_PORT.");
        }
        catch (SocketException e)
        {
            throw new AmvFailure($"port {port} cannot be used ({e.Message}): pick another port with AMV_DEMO_PORT.");
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task WaitUntilReadyAsync(LoggedProcess server, HttpClient http, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + ReadyBound;
        while (true)
        {
            if (!server.Running)
            {
                await server.ExitedAsync(ct); // its last words in the log first
                throw new AmvFailure("the server stopped during start-up.", settings.ServerLog);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new AmvFailure($"the server was not ready within {ReadyBound.TotalSeconds} s ({Authority(settings.Local)}/readyz).", settings.ServerLog);
            }

            if (await StatusAsync(http, "/readyz", ct) == HttpStatusCode.OK)
            {
                return;
            }

            // Polling the server's own readiness answer, bounded by the deadline above.
            await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
        }
    }

    /// <summary>The player plays the first category: in a window when there is a display, headless otherwise and for the
    /// check (with one-second slates).</summary>
    private LoggedProcess StartPlayer(string playerDll, string server, string apiKey)
    {
        List<string> arguments =
        [
            playerDll, "run", "--server", server, "--media", settings.Media, "--state", Path.Combine(settings.Data, "player"), "--categories", "1",
        ];
        arguments.AddRange(check ? ["--headless", "--intro", "1", "--outro", "1", "--no-category-cards", "--quit-after-end", "1"]
            : string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) ? ["--headless", "--quit-after-end", "10"]
            : ["--windowed", "--quit-after-end", "10"]);
        return LoggedProcess.StartDotnet(Label, settings.PlayerLog, arguments, new Dictionary<string, string> { ["AMV_PLAYER_API_KEY"] = apiKey });
    }

    /// <summary>Waits for the player to end the first category; then the simulated audience votes on it, and the
    /// coordinator closes its voting and reveals its winner.</summary>
    private async Task FinishShowAsync(LoggedProcess player, HttpClient http, CoordinatorSession staff, RoomInfo room, string local, CancellationToken ct)
    {
        var bound = TimeSpan.FromSeconds(check ? 180 : 900);
        int exitCode;
        try
        {
            exitCode = await player.ExitedAsync(ct).WaitAsync(bound, ct);
        }
        catch (TimeoutException)
        {
            throw new AmvFailure($"the player did not finish the first category within {bound.TotalSeconds} s.", settings.PlayerLog);
        }

        ct.ThrowIfCancellationRequested();
        if (exitCode != 0)
        {
            throw new AmvFailure("the player failed.", settings.PlayerLog);
        }

        Say("The player played the first category; its reports opened voting on each video.");
        try
        {
            await DemoAudience.RunAsync(http, staff, room.Code, 1, output, ct);
        }
        catch (Exception e) when (ServerTrouble(e) && !ct.IsCancellationRequested)
        {
            throw new AmvFailure($"the simulated audience failed: {e.Message}", settings.ServerLog);
        }

        Say($"Results: {local}/api/results (public), the announcer's sheet at /console/results");
    }

    /// <summary>The check's last word: the player's reports reached the server (its show ended, after reports), and a
    /// winner is public.</summary>
    private async Task CheckShowAsync(HttpClient http, CancellationToken ct)
    {
        var show = await http.GetStringAsync("/api/show", ct);
        var state = JsonSerializer.Deserialize<ShowState>(show, CoordinatorSession.Json)!;
        if (state.Phase != ShowPhase.Idle || state.Sequence == 0)
        {
            throw new AmvFailure($"the player's reports did not reach the server: {show}", settings.ServerLog);
        }

        var results = await CoordinatorSession.GetPublicAsync<PublicResults>(http, "/api/results", ct);
        if (results.Categories.Count == 0)
        {
            throw new AmvFailure("no winner is public after the reveal.", settings.ServerLog);
        }
    }

    private async Task ExpectOkAsync(HttpClient http, string path, string what, CancellationToken ct)
    {
        var status = await StatusAsync(http, path, ct);
        if (status != HttpStatusCode.OK)
        {
            throw new AmvFailure($"{what} answered {(status is { } s ? ((int)s).ToString() : "nothing")}, not 200.", settings.ServerLog);
        }
    }

    /// <summary>The status of a GET, or null when the server does not answer (within 5 s).</summary>
    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await http.GetAsync(path, timeout.Token);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>A request the server refused, could not answer or did not answer in time.</summary>
    private static bool ServerTrouble(Exception e) => e is ApiException or HttpRequestException or TaskCanceledException { InnerException: TimeoutException };

    /// <summary>http://host:port, without the trailing slash.</summary>
    private static string Authority(Uri url) => url.GetLeftPart(UriPartial.Authority);

    private void Say(string message) => output.WriteLine($"==> {message}");
}
