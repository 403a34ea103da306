using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;
using AmvScreening.Player.Preflight;
using AmvScreening.Player.Show;

namespace AmvScreening.Player;

/// <summary>
/// The player's command line (docs/player.md, docs/preflight.md): <c>run --server URL --api-key KEY [options]</c>
/// and <c>preflight …</c> (<see cref="PreflightCommand"/>), parsed by System.CommandLine. The options both commands
/// take (<c>--server</c>, <c>--api-key</c>, <c>--media</c>) are made here, once.
/// </summary>
public static class PlayerCommandLine
{
    /// <summary>Where the API key is read from when --api-key is not given (keeps it out of the process list).</summary>
    public const string ApiKeyVariable = "AMV_PLAYER_API_KEY";

    /// <summary>What a usage error of <c>run</c> exits with.</summary>
    public const int RunUsageExitCode = 1;

    /// <summary>The root command, with <c>run</c> and <c>preflight</c>; <paramref name="run"/> gets the settings of a
    /// valid <c>run</c> and returns the exit code.</summary>
    /// <param name="preflightEngine">Makes the engine <c>preflight</c> probes the files with. Default: headless libvlc.</param>
    public static RootCommand Create(Func<PlayerSettings, CancellationToken, Task<int>> run, Func<IMediaEngine>? preflightEngine = null)
    {
        var root = new RootCommand("AmvScreening player: the fullscreen show on the projector, with slates, booth keys and recovery.")
        {
            RunCommand(run),
            PreflightCommand.Create(preflightEngine),
        };
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithDetails((HelpAction)help.Action!);
        return root;
    }

    /// <summary>
    /// Parses <paramref name="args"/> and runs the command. A usage error (a bad value, an unknown option) prints
    /// <c>error: …</c> per problem and the command's usage to the error writer, and returns the command's usage exit
    /// code (<see cref="UsageCommand.UsageExitCode"/>; 1 elsewhere), without running anything.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, InvocationConfiguration? configuration = null, CancellationToken ct = default)
    {
        configuration ??= new InvocationConfiguration();
        var result = root.Parse(args);
        if (result.Action is not ParseErrorAction)
        {
            return await result.InvokeAsync(configuration, ct);
        }

        var command = result.CommandResult.Command;
        var error = configuration.Error;
        // An unknown token is named as such; System.CommandLine's own error for it names the token too, and goes.
        var unknown = result.UnmatchedTokens.Select(t => t.StartsWith('-') ? $"unknown option '{t}'" : $"unexpected argument '{t}'");
        var problems = result.Errors.Select(e => e.Message).Where(m => !result.UnmatchedTokens.Any(t => m.Contains(t, StringComparison.Ordinal)));
        foreach (var problem in unknown.Concat(problems))
        {
            await error.WriteLineAsync($"error: {problem}");
        }

        await error.WriteLineAsync();
        await error.WriteLineAsync(command is UsageCommand usage ? usage.Usage : "Usage: run [options] | preflight [options]");
        await error.WriteLineAsync(command is RootCommand ? "--help lists the commands." : $"{command.Name} --help lists the options.");
        return command is UsageCommand { UsageExitCode: var code } ? code : RunUsageExitCode;
    }

    /// <summary><c>run</c>: the show.</summary>
    private static Command RunCommand(Func<PlayerSettings, CancellationToken, Task<int>> run)
    {
        var server = Server();
        server.Required = true;
        var apiKey = ApiKey();
        apiKey.Validators.Add(r =>
        {
            if (IsMissing(r))
            {
                r.AddError(ApiKeyMissing);
            }
        });
        var media = Media();
        var state = Folder("--state", $"Folder for the saved state and the kept playlist (default: {PlayerSettings.DefaultStateFolder})", mustExist: false);
        var templates = Folder("--templates", "Slate templates to use instead of the built-in ones", mustExist: true);
        var headless = new Option<bool>("--headless") { Description = "No window: play without showing anything (tests, rehearsals)" };
        var windowed = new Option<bool>("--windowed") { Description = "A window instead of fullscreen" };
        var audioOut = Valued("--audio-out", "Record the show's sound (levelled, with silence where slates show) to this WAV file instead of playing it on a sound card: a rehearsal recording",
            "FILE.wav", (r, path) =>
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(path));
                if (Directory.Exists(path) || folder is null || !Directory.Exists(folder))
                {
                    r.AddError($"--audio-out wants a file in an existing folder: '{path}' is {(Directory.Exists(path) ? "a folder" : "in a folder that does not exist")}.");
                }

                return (string?)path;
            });
        var display = Count("--display", "Which display to go fullscreen on (0 = the first)", min: 0);
        var resume = new Option<bool>("--resume") { Description = "Start where the show was: the saved finalist's intro slate (else the server's)" };
        var resumePosition = new Option<bool>("--resume-position") { Description = "Like --resume, but back into the video at its saved position" };
        var intro = Seconds("--intro", 8, "How long the intro slate stays up");
        var outro = Seconds("--outro", 10, "How long the outro slate (vote now, QR code) stays up");
        var noCards = new Option<bool>("--no-category-cards") { Description = "No title card before each category" };
        var categories = Count("--categories", "Play only the first N categories (a demo)", min: 1);
        var intermissionAfter = Count("--intermission-after", "Show the intermission card after category N", min: 1);
        var intermissionMinutes = Valued("--intermission-minutes", "How long the intermission card stays up unless skipped", "MINUTES",
            (r, text) => Positive(r, "--intermission-minutes", "a number of minutes", text), () => 10);
        var quitAfterEnd = Valued<double?>("--quit-after-end", "Show the end card this long, then quit (a demo or rehearsal; by default the end card stays up)",
            "SECONDS", (r, text) => (double?)Positive(r, "--quit-after-end", "a number of seconds", text));

        var command = new UsageCommand("run", "Run the show on this machine's screen", "Usage: run --server URL --api-key KEY [options]", RunUsageExitCode)
        {
            server, apiKey, media, state, headless, windowed, display, audioOut, templates, resume, resumePosition, intro, outro, noCards,
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
                AudioOut = result.GetValue(audioOut),
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
        return command;
    }

    // --- The options of both commands --------------------------------------------------------------------------------

    /// <summary>What <c>run</c>, and <c>preflight</c> with a server, say when there is no API key.</summary>
    internal const string ApiKeyMissing = $"The player's API key is missing: pass --api-key KEY or set {ApiKeyVariable}.";

    /// <summary><c>--server URL</c>: an http(s) address.</summary>
    internal static Option<Uri?> Server(string description = "The AmvScreening server, e.g. http://192.168.1.10:5000") =>
        Valued("--server", description, "URL", ParseServer);

    /// <summary><c>--api-key KEY</c>, by default <see cref="ApiKeyVariable"/>'s value (or empty).</summary>
    internal static Option<string> ApiKey() =>
        Valued("--api-key", $"The player's API key (default: the {ApiKeyVariable} environment variable)", "KEY", (_, text) => text,
            () => Environment.GetEnvironmentVariable(ApiKeyVariable) ?? "");

    /// <summary>Whether <paramref name="apiKey"/>'s value (given, or from the environment) is missing.</summary>
    internal static bool IsMissing(OptionResult apiKey) => string.IsNullOrWhiteSpace(apiKey.GetValueOrDefault<string>());

    /// <summary><c>--media DIR</c>: an existing folder.</summary>
    internal static Option<string?> Media() =>
        Folder("--media", "Folder that relative video paths are relative to (default: the current folder)", mustExist: true);

    /// <summary>An option that takes one value, read by <paramref name="parse"/>, else <paramref name="defaultValue"/>.
    /// Given without a value it is an error: <c>--contest needs a value</c> (with a default, System.CommandLine's own
    /// "Required argument missing").</summary>
    internal static Option<T> Valued<T>(string name, string description, string helpName, Func<ArgumentResult, string, T> parse, Func<T>? defaultValue = null)
    {
        var option = new Option<T>(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = r =>
            {
                if (r.Tokens is [var token])
                {
                    return parse(r, token.Value);
                }

                r.AddError($"{name} needs a value");
                return default;
            },
        };
        if (defaultValue is null)
        {
            // Exactly one value would be System.CommandLine's message; none or one lets the parser say it.
            option.Arity = ArgumentArity.ZeroOrOne;
        }
        else
        {
            // Here none or one would quietly take the default.
            option.DefaultValueFactory = _ => defaultValue();
        }

        return option;
    }

    internal static Option<string?> Folder(string name, string description, bool mustExist) =>
        Valued(name, description, "DIR", (r, path) =>
        {
            if (mustExist && !Directory.Exists(path))
            {
                r.AddError($"{name}: the folder '{path}' does not exist.");
            }

            return (string?)path;
        });

    private static Uri? ParseServer(ArgumentResult result, string text)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        result.AddError($"--server wants the server's http(s) address, e.g. http://192.168.1.10:5000: '{text}' is not an http:// or https:// URL.");
        return null;
    }

    private static Option<double> Seconds(string name, double defaultSeconds, string description) =>
        Valued(name, description, "SECONDS", (r, text) => Positive(r, name, "a number of seconds", text), () => defaultSeconds);

    private static double Positive(ArgumentResult result, string name, string what, string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= 24 * 3600)
        {
            return value;
        }

        result.AddError($"{name} wants {what} above 0, not '{text}'.");
        return 1;
    }

    private static Option<int?> Count(string name, string description, int min) =>
        Valued<int?>(name, description, "N", (r, text) =>
        {
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min)
            {
                return value;
            }

            r.AddError($"{name} wants a whole number from {min}, not '{text}'.");
            return null;
        });
}

/// <summary>A command that knows its usage line(s), printed after a usage error, and the exit code of one; and what its
/// <c>--help</c> adds after the options.</summary>
internal sealed class UsageCommand(string name, string description, string usage, int usageExitCode) : Command(name, description)
{
    public string Usage { get; } = usage;

    public int UsageExitCode { get; } = usageExitCode;

    /// <summary>Printed after the options by <c>--help</c> (the exit codes, say).</summary>
    public string? HelpDetails { get; init; }
}

/// <summary>System.CommandLine's help, then the command's <see cref="UsageCommand.HelpDetails"/>.</summary>
internal sealed class HelpWithDetails(HelpAction help) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => help.ClearsParseErrors;

    public override int Invoke(ParseResult parseResult)
    {
        var exitCode = help.Invoke(parseResult);
        if (parseResult.CommandResult.Command is UsageCommand { HelpDetails: { } details })
        {
            parseResult.InvocationConfiguration.Output.WriteLine(details);
            parseResult.InvocationConfiguration.Output.WriteLine();
        }

        return exitCode;
    }
}
