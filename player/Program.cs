using AmvScreening.Player.Booth;
using AmvScreening.Player.Show;
using AmvScreening.Player.Slates;
using AmvScreening.Player.Vlc;
using Microsoft.Extensions.Logging;

namespace AmvScreening.Player;

/// <summary>Entry point (a named class: the tests reference both the server's and the player's assemblies).</summary>
public static class PlayerProgram
{
    public static int Main(string[] args) => PlayerCommandLine.Create(RunAsync).Parse(args).Invoke();

    /// <summary>The screen: libvlc (player/Vlc) and the SVG slates (player/Slates).</summary>
    private static (IMediaEngine Engine, ISlateRenderer Slates) CreateScreen(PlayerSettings settings) =>
        (new VlcEngine(new VlcEngineOptions { Headless = settings.Headless }),
         new SvgSlateRenderer(settings.TemplatesFolder, Path.Combine(settings.StateFolder, "slates")));

    private static async Task<int> RunAsync(PlayerSettings settings, CancellationToken ct)
    {
        IMediaEngine engine;
        ISlateRenderer slates;
        try
        {
            (engine, slates) = CreateScreen(settings);
        }
        catch (VlcException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 3;
        }

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
            var panel = booth && await Task.WhenAny(host.Ready, show) == host.Ready
                ? new BoothTerminal(host.Sequencer!, host.Reporter!, recent).RunAsync(stop.Token)
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
