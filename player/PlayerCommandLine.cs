using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using AmvScreening.Player.Show;

namespace AmvScreening.Player;

/// <summary>The player's command line (docs/player.md): <c>run --server URL --api-key KEY [options]</c>.</summary>
public static class PlayerCommandLine
{
    /// <summary>Where the API key is read from when --api-key is not given (keeps it out of the process list).</summary>
    public const string ApiKeyVariable = "AMV_PLAYER_API_KEY";

    /// <summary>The root command; <paramref name="run"/> gets the settings of a valid <c>run</c> and returns the exit code.</summary>
    public static RootCommand Create(Func<PlayerSettings, CancellationToken, Task<int>> run)
    {
        var server = new Option<Uri>("--server")
        {
            Description = "The AmvScreening server, e.g. http://192.168.1.10:5000",
            HelpName = "URL",
            Required = true,
            CustomParser = ParseServer,
        };
        var apiKey = new Option<string>("--api-key")
        {
            Description = $"The player's API key (default: the {ApiKeyVariable} environment variable)",
            HelpName = "KEY",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ApiKeyVariable) ?? "",
        };
        apiKey.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>()))
            {
                r.AddError($"The player's API key is missing: pass --api-key KEY or set {ApiKeyVariable}.");
            }
        });
        var media = Folder("--media", "Folder that relative video paths are relative to (default: the current folder)", mustExist: true);
        var state = Folder("--state", $"Folder for the saved state and the kept playlist (default: {PlayerSettings.DefaultStateFolder})", mustExist: false);
        var templates = Folder("--templates", "Slate templates to use instead of the built-in ones", mustExist: true);
        var headless = new Option<bool>("--headless") { Description = "No window: play without showing anything (tests, rehearsals)" };
        var windowed = new Option<bool>("--windowed") { Description = "A window instead of fullscreen" };
        var display = Count("--display", "Which display to go fullscreen on (0 = the first)", min: 0);
        var resume = new Option<bool>("--resume") { Description = "Start where the show was: the saved finalist's intro slate (else the server's)" };
        var resumePosition = new Option<bool>("--resume-position") { Description = "Like --resume, but back into the video at its saved position" };
        var intro = Seconds("--intro", 8, "How long the intro slate stays up");
        var outro = Seconds("--outro", 10, "How long the outro slate (vote now, QR code) stays up");
        var noCards = new Option<bool>("--no-category-cards") { Description = "No title card before each category" };
        var categories = Count("--categories", "Play only the first N categories (a demo)", min: 1);
        var intermissionAfter = Count("--intermission-after", "Show the intermission card after category N", min: 1);
        var intermissionMinutes = new Option<double>("--intermission-minutes")
        {
            Description = "How long the intermission card stays up unless skipped",
            HelpName = "MINUTES",
            DefaultValueFactory = _ => 10,
            CustomParser = r => Positive(r, "--intermission-minutes", "a number of minutes"),
        };

        var quitAfterEnd = new Option<double?>("--quit-after-end")
        {
            Description = "Show the end card this long, then quit (a demo or rehearsal; by default the end card stays up)",
            HelpName = "SECONDS",
            CustomParser = r => Positive(r, "--quit-after-end", "a number of seconds"),
        };

        var command = new Command("run", "Run the show on this machine's screen")
        {
            server, apiKey, media, state, headless, windowed, display, templates, resume, resumePosition, intro, outro, noCards,
            categories, intermissionAfter, intermissionMinutes, quitAfterEnd,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(headless) && r.GetValue(windowed))
            {
                r.AddError("--headless and --windowed do not go together: headless shows no window at all.");
            }
        });
        command.SetAction((result, ct) => run(
            new PlayerSettings
            {
                Server = result.GetValue(server)!,
                ApiKey = result.GetValue(apiKey)!,
                MediaFolder = result.GetValue(media) ?? Directory.GetCurrentDirectory(),
                StateFolder = result.GetValue(state) ?? PlayerSettings.DefaultStateFolder,
                TemplatesFolder = result.GetValue(templates),
                Headless = result.GetValue(headless),
                Windowed = result.GetValue(windowed),
                Display = result.GetValue(display) ?? 0,
                Resume = result.GetValue(resume) || result.GetValue(resumePosition),
                ResumePosition = result.GetValue(resumePosition),
                Show = new ShowOptions
                {
                    Intro = TimeSpan.FromSeconds(result.GetValue(intro)),
                    Outro = TimeSpan.FromSeconds(result.GetValue(outro)),
                    Intermission = TimeSpan.FromMinutes(result.GetValue(intermissionMinutes)),
                    QuitAfterEndCard = result.GetValue(quitAfterEnd) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                },
                Rundown = new RundownOptions(!result.GetValue(noCards), result.GetValue(categories), result.GetValue(intermissionAfter)),
            },
            ct));
        return new RootCommand("AmvScreening player: the fullscreen show on the projector, with slates, booth keys and recovery.") { command };
    }

    private static Uri? ParseServer(ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        result.AddError($"--server wants the server's http(s) address, e.g. http://192.168.1.10:5000, not '{text}'.");
        return null;
    }

    private static Option<string?> Folder(string name, string description, bool mustExist)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = "DIR" };
        if (mustExist)
        {
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<string?>() is { } path && !Directory.Exists(path))
                {
                    r.AddError($"{name}: the folder '{path}' does not exist.");
                }
            });
        }

        return option;
    }

    private static Option<double> Seconds(string name, double defaultSeconds, string description) => new(name)
    {
        Description = description,
        HelpName = "SECONDS",
        DefaultValueFactory = _ => defaultSeconds,
        CustomParser = r => Positive(r, name, "a number of seconds"),
    };

    private static double Positive(ArgumentResult result, string name, string what)
    {
        var text = result.Tokens.Single().Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= 24 * 3600)
        {
            return value;
        }

        result.AddError($"{name} wants {what} above 0, not '{text}'.");
        return 1;
    }

    private static Option<int?> Count(string name, string description, int min) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = r =>
        {
            var text = r.Tokens.Single().Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min)
            {
                return value;
            }

            r.AddError($"{name} wants a whole number from {min}, not '{text}'.");
            return null;
        },
    };
}
