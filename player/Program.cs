using AmvScreening.Player.Booth;
using AmvScreening.Player.Screen;
using AmvScreening.Player.Show;
using AmvScreening.Player.Slates;
using AmvScreening.Player.Vlc;
using Microsoft.Extensions.Logging;

namespace AmvScreening.Player;

/// <summary>Entry point (a named class: the tests reference both the server's and the player's assemblies).</summary>
public static class PlayerProgram
{
    public static int Main(string[] args) => args is ["preflight", .. var rest]
        ? Preflight.PreflightCommand.RunAsync(rest).GetAwaiter().GetResult()
        : PlayerCommandLine.Create(RunAsync).Parse(args).Invoke();

    /// <summary>The screen: the projector window (player/Screen) unless headless, libvlc drawing into it (player/Vlc),
    /// and the SVG slates (player/Slates).</summary>
    private static (SdlScreen? Screen, IMediaEngine Engine, ISlateRenderer Slates) CreateScreen(PlayerSettings settings)
    {
        var screen = settings.Headless ? null : SdlScreen.Open(new ScreenOptions { Display = settings.Display, Windowed = settings.Windowed });
        try
        {
            var engine = new VlcEngine(screen?.ForEngine() ?? new VlcEngineOptions { Headless = true });
            return (screen, engine, new SvgSlateRenderer(settings.TemplatesFolder, Path.Combine(settings.StateFolder, "slates")));
        }
        catch
        {
            screen?.Dispose();
            throw;
        }
    }

    private static async Task<int> RunAsync(PlayerSettings settings, CancellationToken ct)
    {
        SdlScreen? screen;
        IMediaEngine engine;
        ISlateRenderer slates;
        try
        {
            (screen, engine, slates) = CreateScreen(settings);
        }
        catch (Exception e) when (e is VlcException or ScreenException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 3;
        }

        using (screen)
        await using (engine)
        {
            // The booth panel needs a terminal to draw on and to read keys from; otherwise (a service) plain log lines.
            var booth = !Console.IsInputRedirected && !Console.IsOutputRedirected;
            var recent = new RecentLog();
            using var logs = LoggerFactory.Create(b =>
            {
                if (booth)
                {
                    b.AddProvider(recent);
                }
                else
                {
                    b.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss "));
                }
            });
            var host = new PlayerHost(settings, engine, slates, logs);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var show = host.RunAsync(stop.Token);
            var ready = await Task.WhenAny(host.Ready, show) == host.Ready;
            if (ready && screen is not null)
            {
                var keys = new ProjectorKeys(host.Sequencer!);
                screen.KeyPressed += keys.OnKey;
                screen.QuitRequested += keys.OnQuitRequested;
            }

            var panel = booth && ready
                ? new BoothTerminal(host.Sequencer!, host.Reporter!, host.Live!, recent).RunAsync(stop.Token)
                : Task.CompletedTask;
            try
            {
                await show;
                return 0;
            }
            catch (PlayerApiKeyException e)
            {
                Console.Error.WriteLine($"error: {e.Message} Check --api-key (the server prints the key at its first start).");
                return 2;
            }
            finally
            {
                await stop.CancelAsync();
                await panel;
            }
        }
    }
}
