using System.Net;
using System.Net.Sockets;
using AmvScreening.Audience;
using AmvScreening.Audience.Demo;
using AmvScreening.Audience.Processes;
using AmvScreening.Protocol;

namespace AmvScreening.Tests.Demo;

/// <summary>The parts of <c>./amv demo</c> and <c>./amv bench-flags</c> that run other programs: what they start is
/// logged and stopped (killed with what it started when it will not stop), a taken port is refused before anything
/// starts, a fresh server is up and signed into, and the sample clips are made only inside the media folder.</summary>
public sealed class DemoProcessTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly string _folder = Directory.CreateTempSubdirectory("amv-demo-process-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Log => Path.Combine(_folder, "program.log");

    private LoggedProcess Bash(string script, Action<string>? onLine = null) =>
        LoggedProcess.Start("test", Log, "bash", ["-c", script], new Dictionary<string, string> { ["AMV_TEST_VALUE"] = "from the test" }, onLine);

    [Fact]
    public async Task LoggedProcess_AppendsItsOutputToTheLog_AfterAHeader_AndTellsItsExitCode()
    {
        await File.WriteAllTextAsync(Log, "an earlier run\n");

        await using var program = Bash("echo \"out $AMV_TEST_VALUE\"; echo err >&2; read -r line || echo 'no input'; exit 3");
        var exitCode = await program.ExitedAsync().WaitAsync(Bound);

        Assert.Equal(3, exitCode);
        var lines = await File.ReadAllLinesAsync(Log);
        Assert.Equal("an earlier run", lines[0]);
        Assert.StartsWith("=== test ", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(": bash -c echo \"out $AMV_TEST_VALUE\"; echo err >&2; read -r line || echo 'no input'; exit 3", lines[2], StringComparison.Ordinal);
        Assert.Equal(["err", "no input", "out from the test"], lines[3..].Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LoggedProcess_Stop_AsksWithSigterm_AndKeepsItsLastWords()
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var program = Bash("trap 'echo goodbye; exit 0' TERM; echo ready; while true; do sleep 0.05; done", line =>
        {
            if (line == "ready")
            {
                ready.TrySetResult();
            }
        });
        await ready.Task.WaitAsync(Bound);

        await program.StopAsync().WaitAsync(Bound);

        Assert.False(program.Running);
        Assert.Equal(0, await program.ExitedAsync().WaitAsync(Bound));
        Assert.Contains("goodbye", await File.ReadAllLinesAsync(Log));
    }

    [Fact]
    public async Task LoggedProcess_ThatIgnoresSigterm_IsKilled_WithEveryProcessItStarted()
    {
        var started = new TaskCompletionSource<(int Shell, int Child)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var program = Bash("trap '' TERM; sleep 300 & echo \"started $$ $!\"; wait", line =>
        {
            if (line.Split(' ') is ["started", var shell, var child])
            {
                started.TrySetResult((int.Parse(shell), int.Parse(child)));
            }
        });
        var (shellPid, childPid) = await started.Task.WaitAsync(Bound);
        Assert.True(Alive(shellPid) && Alive(childPid));

        await program.StopAsync(TimeSpan.FromMilliseconds(500)).WaitAsync(Bound);
        await program.DisposeAsync();

        Assert.False(Alive(shellPid), "the program itself");
        Assert.False(Alive(childPid), "the process it started");
    }

    [Fact]
    public async Task AmvFailure_ShowsTheLastFortyLinesOfTheLog()
    {
        await using var program = Bash("seq 1 100");
        await program.ExitedAsync().WaitAsync(Bound);
        var report = new StringWriter();

        new AmvFailure("the program failed.", Log).Report(report);

        var lines = report.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal("amv: the program failed.", lines[0]);
        Assert.Equal($"--- last lines of {Log} ---", lines[1]);
        Assert.Equal([.. Enumerable.Range(61, 40).Select(i => i.ToString())], lines[2..^1]);
        Assert.Equal("---", lines[^1]);
    }

    [Fact]
    public void APortInUse_IsRefused_NamingItAndTheSetting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var failure = Assert.Throws<AmvFailure>(() => DemoRun.EnsurePortFree(port));

        Assert.Equal($"port {port} is already in use (another demo still running?). Stop it, or pick another port with AMV_DEMO_PORT.", failure.Message);
    }

    [Fact]
    public async Task TheDemo_OnAPortInUse_StartsNothing_AndMakesNoDataFolder()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var data = Path.Combine(_folder, "demo");
        var output = new StringWriter();

        var failure = await Assert.ThrowsAsync<AmvFailure>(() =>
            new DemoRun(new DemoSettings(port, data, null, "127.0.0.1"), check: true, output).RunAsync(CancellationToken.None).WaitAsync(Bound));

        Assert.Contains($"port {port} is already in use", failure.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public async Task AFreshServer_Listens_WithItsOneCategory_TakesItsCoordinator_AndLeavesNothingBehind()
    {
        var output = new StringWriter();
        var server = await FreshServer.StartAsync(4, 2, output, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        string data;
        using var http = new HttpClient { BaseAddress = server.Url, Timeout = Bound };
        try
        {
            Assert.Equal(IPAddress.Loopback.ToString(), server.Url.Host);
            data = output.ToString().Split("(data: ")[1].Split(',')[0];
            Assert.True(Directory.Exists(data));
            Assert.Contains("flag rules at 2x", output.ToString(), StringComparison.Ordinal);

            var staff = await CoordinatorSession.SignInAsync(http, server.CoordinatorPassword, CancellationToken.None);
            var room = await staff.GetAsync<RoomInfo>("/api/room", CancellationToken.None);
            var voting = await CoordinatorSession.GetPublicAsync<VotingSnapshot>(http, "/api/voting", CancellationToken.None);

            Assert.NotEmpty(room.Code);
            Assert.Equal("Simulation", Assert.Single(voting.Categories).Name);
            await Assert.ThrowsAsync<ApiException>(() => CoordinatorSession.SignInAsync(http, "not-the-password", CancellationToken.None));
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.False(Directory.Exists(data));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/healthz"));
    }

    [Fact]
    public async Task SampleClips_AreMadeOnlyWhenMissing_AndOnlyInsideTheMediaFolder()
    {
        var media = Path.Combine(_folder, "media");
        string[] files = ["category/clip.mp4", "../outside.mp4", Path.Combine(_folder, "absolute.mp4")];

        var made = await SampleClips.MakeAsync(files, media, TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var again = await SampleClips.MakeAsync(files, media, TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(Bound);

        Assert.Equal((1, 0), (made, again));
        Assert.True(new FileInfo(Path.Combine(media, "category", "clip.mp4")).Length > 0);
        Assert.Equal(["clip.mp4"], Directory.GetFiles(Path.Combine(media, "category")).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(_folder, "outside.mp4")));
        Assert.False(File.Exists(Path.Combine(_folder, "absolute.mp4")));
    }

    /// <summary>A process that has ended, even one nobody has reaped yet (a zombie), is not alive.</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }
}
