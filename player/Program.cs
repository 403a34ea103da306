using AmvScreening.Player.Booth;
using AmvScreening.Player.Screen;
using AmvScreening.Player.Show;
using AmvScreening.Player.Vlc;
using AmvScreening.Slates;
using Microsoft.Extensions.Logging;

namespace AmvScreening.Player;

/// <summary>Entry point (a named class: the tests reference both the server's and the player's assemblies).</summary>
public static class PlayerProgram
{
    public static Task<int> Main(string[] args) => PlayerCommandLine.InvokeAsync(PlayerCommandLine.Create(RunAsync), args);

    /// <summary>The player's logs, set up here once for every part (show, server link, slates, screen, keys): in the
    /// booth (<paramref name="booth"/>, a terminal) the last lines at the bottom of the booth panel, on standard error
    /// until the panel is up; as a service, one line per entry on standard output.</summary>
    private static ILoggerFactory CreateLogs(RecentLog? booth) => LoggerFactory.Create(b =>
    {
        if (booth is not null)
        {
            b.AddProvider(booth);
        }
        else
        {
            b.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss "));
        }
    });

    /// <summary>The screen: the projector window (player/Screen) unless headless, libvlc drawing into it (player/Vlc),
    /// and the SVG slates (player/Slates).</summary>
    private static (IScreen? Screen, IMediaEngine Engine, ISlateRenderer Slates) CreateScreen(PlayerSettings settings, ILoggerFactory logs)
    {
        IScreen? screen = settings.Headless
            ? null
            : SdlScreen.Open(new ScreenOptions { Display = settings.Display, Windowed = settings.Windowed }, logs.CreateLogger<SdlScreen>());
        try
        {
            var options = screen is null ? new VlcEngineOptions { Headless = true } : new VlcEngineOptions().DrawingInto(screen);
            var engine = new VlcEngine(options with { AudioOut = settings.AudioOut, NoAudioDevice = !settings.Headless && settings.AudioOut is null && NoSoundDevice(logs) });
            var slates = new SvgSlateRenderer(settings.TemplatesFolder, Path.Combine(settings.StateFolder, "slates"), logs.CreateLogger<SvgSlateRenderer>());
            return (screen, engine, slates);
        }
        catch
        {
            screen?.Dispose();
            throw;
        }
    }

    /// <summary>Whether this machine has no sound device: then the show plays silently, said once here, rather than
    /// libvlc failing (and ALSA complaining) on every sound buffer.</summary>
    private static bool NoSoundDevice(ILoggerFactory logs)
    {
        var devices = VlcEngine.AudioDevices();
        if (VlcEngine.HasSoundDevice(devices))
        {
            return false;
        }

        logs.CreateLogger("AmvScreening.Player.Sound").LogWarning(
            "No sound device found (libvlc's audio output offers only: {Devices}): the show plays WITHOUT SOUND. Connect or " +
            "enable the sound card (or start the sound server) and restart the player; --audio-out FILE.wav records the sound instead.",
            devices.Count == 0 ? "nothing" : string.Join(", ", devices));
        return true;
    }

    /// <summary>Runs the show; what stops it early is said on standard error, after the booth panel is gone, with the
    /// exit code: 3 the screen or libvlc cannot start, 2 the server refused the API key.</summary>
    private static async Task<int> RunAsync(PlayerSettings settings, CancellationToken ct)
    {
        var (exitCode, message) = await ShowAsync(settings, ct);
        if (message is not null)
        {
            await Console.Error.WriteLineAsync($"error: {message}");
        }

        return exitCode;
    }

    private static async Task<(int ExitCode, string? Message)> ShowAsync(PlayerSettings settings, CancellationToken ct)
    {
        // The booth panel needs a terminal to draw on and to read keys from; otherwise (a service) plain log lines.
        var booth = !Console.IsInputRedirected && !Console.IsOutputRedirected ? new RecentLog() : null;
        using var logs = CreateLogs(booth);
        IScreen? screen;
        IMediaEngine engine;
        ISlateRenderer slates;
        try
        {
            (screen, engine, slates) = CreateScreen(settings, logs);
        }
        catch (Exception e) when (e is VlcException or ScreenException)
        {
            return (3, e.Message);
        }

        using (screen)
        await using (engine)
        {
            var host = new PlayerHost(settings, engine, slates, logs);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var show = host.RunAsync(stop.Token);
            var ready = await Task.WhenAny(host.Ready, show) == host.Ready;
            if (ready && screen is not null)
            {
                var keys = new ProjectorKeys(host.Sequencer!, logger: logs.CreateLogger<ProjectorKeys>());
                screen.KeyPressed += keys.OnKey;
                screen.QuitRequested += keys.OnQuitRequested;
            }

            var panel = booth is not null && ready
                ? new BoothTerminal(host.Sequencer!, host.Reporter!, host.Live!, booth, checkedFiles: host.Checked).RunAsync(stop.Token)
                : Task.CompletedTask;
            try
            {
                await show;
                return (0, null);
            }
            catch (PlayerApiKeyException e)
            {
                return (2, $"{e.Message} Check --api-key (the server prints the key at its first start).");
            }
            finally
            {
                await stop.CancelAsync();
                await panel;
            }
        }
    }
}
