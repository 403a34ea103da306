using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using AmvScreening.Audience.Demo;
using AmvScreening.Audience.Processes;
using AmvScreening.Audience.Simulation;
using AmvScreening.Protocol;

namespace AmvScreening.Audience;

/// <summary>
/// The audience tool's command line. <c>demo</c>: the sample contest on this machine with the demo's audience (./amv demo,
/// <see cref="DemoRun"/>). The ballot integrity simulations (docs/ballot-integrity.md, docs/benchmarks.md; ./amv bench-flags):
/// <c>honest-hall</c>, a realistic hall behind one address; <c>burst</c> and <c>drip</c>, stuffing from one laptop, by
/// default inside such a hall. The three play the show as the player would (they need its API key), against a named
/// server or a fresh one of their own (<see cref="FreshServer"/>).
/// </summary>
public static class AudienceCommandLine
{
    public const string ApiKeyVariable = "AMV_PLAYER_API_KEY";

    public static RootCommand Create()
    {
        var server = new Option<Uri>("--server")
        {
            Description = "The AmvScreening server, e.g. http://127.0.0.1:5080 (default: a fresh server process of its own on loopback, its data "
                + "in a temporary folder, with one category of --entries finalists, judging at --time-scale)",
            HelpName = "URL",
            CustomParser = r => Uri.TryCreate(r.Tokens.Single().Value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? url : Error<Uri>(r, "--server is the server's http:// or https:// address."),
        };
        var password = new Option<string>("--password") { Description = "The coordinator's password (with --server)", HelpName = "PASSWORD" };
        var category = Count("--category", 1, "Which category, from 1 in show order");

        var root = new RootCommand("A simulated audience for AmvScreening: the demo (./amv demo), and the ballot integrity simulations "
            + "(./amv bench-flags).") { DemoCommand.Create() };

        var playerKey = new Option<string>("--player-key")
        {
            Description = $"The player's API key, with --server: the simulation plays the show (default: the {ApiKeyVariable} environment variable)",
            HelpName = "KEY",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ApiKeyVariable) ?? "",
        };
        var entries = Count("--entries", ShowPlan.Default.Entries, "Finalists of the category to play");
        var video = Count("--video-seconds", (int)ShowPlan.Default.Video.TotalSeconds, "Length of each video");
        var seed = Count("--seed", 1, "Seed of the random draws (the same seed plays the same show)", min: 0);
        var scale = new Option<double>("--time-scale")
        {
            Description = "Run this many times faster than life. The server must judge at the same pace: start it with --Amv:Flags:TimeScale=X",
            HelpName = "X",
            DefaultValueFactory = _ => 1,
            CustomParser = r => double.TryParse(r.Tokens.Single().Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && x is >= 1 and <= 1000
                ? x : Error<double>(r, "--time-scale is a number from 1 to 1000."),
        };
        Option[] common = [server, password, playerKey, category, entries, video, seed, scale];

        var phones = Count("--phones", 2000, "Honest phones, all behind this machine's one address");
        var hallCommand = new Command("honest-hall", "A realistic honest hall: phones join with human delays, mostly when the QR code appears on an "
            + "outro, open the live connection, and vote on what plays with varied scores. Expect 0 flags.") { phones };
        Add(hallCommand, common);
        hallCommand.Validators.Add(ServerSecrets);
        hallCommand.SetAction((result, ct) => RunAsync(result, ct, (plan, scoreMax) => HonestHall.Generate(result.GetValue(phones), plan, result.GetValue(seed), 1, scoreMax)));

        var hall = Count("--hall", 2000, "Honest phones around the attack (0: the attack alone)", min: 0);
        var target = Count("--entry", 2, "The entry the attack votes for, from 1 in show order");
        var connect = new Option<bool>("--connect") { Description = "Each attacker voter opens the live connection like the phone app" };
        var numbered = new Option<bool>("--numbered") { Description = "Number the ballots like the phone app (by a clock in milliseconds)" };
        var delay = new Option<(double Min, double Max)>("--delay")
        {
            Description = "Seconds between joining and voting, e.g. 0-0.05 (a script) or 2-8",
            HelpName = "MIN-MAX",
            DefaultValueFactory = _ => (0, 0.05),
            CustomParser = ParseRange,
        };
        Option[] attack = [hall, target, connect, numbered, delay];

        var burstVoters = Count("--voters", 300, "Voter tokens the burst mints");
        var burstAt = Count("--at", 30, "Seconds after the entry's outro starts (the hall is joining then too)", min: 0);
        var burstCommand = new Command("burst", "Stuffing: a burst of new voter tokens within a second, each voting the top score for one entry at once.")
        {
            burstVoters, burstAt,
        };
        Add(burstCommand, [.. common, .. attack]);
        burstCommand.Validators.Add(ServerSecrets);
        burstCommand.SetAction((result, ct) => RunAsync(result, ct, (plan, scoreMax) => Hall(result, hall, seed, plan, scoreMax).With(Stuffing.Burst(
            result.GetValue(burstVoters), plan.OutroStart(Entry(result, target, plan)) + TimeSpan.FromSeconds(result.GetValue(burstAt)),
            TimeSpan.FromSeconds(1), Entry(result, target, plan), scoreMax, Style(result, connect, numbered, delay), result.GetValue(seed) + 1))));

        var interval = Count("--interval", 5, "Seconds between two new voters (± 30 %)");
        var minutes = Count("--minutes", 10, "How long the drip goes on");
        var dripCommand = new Command("drip", "Stuffing: one new voter every few seconds for minutes, each voting the top score for one entry and nothing else.")
        {
            interval, minutes,
        };
        Add(dripCommand, [.. common, .. attack]);
        dripCommand.Validators.Add(ServerSecrets);
        dripCommand.SetAction((result, ct) => RunAsync(result, ct, (plan, scoreMax) => Hall(result, hall, seed, plan, scoreMax).With(Stuffing.Drip(
            plan.VideoStart(Entry(result, target, plan)) + TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(result.GetValue(minutes)),
            TimeSpan.FromSeconds(result.GetValue(interval)), 0.3, Entry(result, target, plan), scoreMax,
            Style(result, connect, numbered, delay), result.GetValue(seed) + 1))));

        root.Subcommands.Add(hallCommand);
        root.Subcommands.Add(burstCommand);
        root.Subcommands.Add(dripCommand);
        return root;

        // A named server needs the secrets to sign in and to play the show; a fresh one has its own.
        void ServerSecrets(CommandResult r)
        {
            if (r.GetResult(server) is null)
            {
                return;
            }

            if (string.IsNullOrWhiteSpace(r.GetValue(password)))
            {
                r.AddError("The coordinator's password is missing: pass --password PASSWORD with --server.");
            }

            if (string.IsNullOrWhiteSpace(r.GetValue(playerKey)))
            {
                r.AddError($"The player's API key is missing: pass --player-key KEY or set {ApiKeyVariable}.");
            }
        }

        Task<int> RunAsync(ParseResult result, CancellationToken ct, Func<ShowPlan, int, Scenario> build) =>
            AmvFailure.ReportedAsync(() => SimulateAsync(result, ct, build), "stopped before the simulation ended", ct);

        async Task<int> SimulateAsync(ParseResult result, CancellationToken ct, Func<ShowPlan, int, Scenario> build)
        {
            var plan = ShowPlan.Default with { Entries = result.GetValue(entries), Video = TimeSpan.FromSeconds(result.GetValue(video)) };
            var timeScale = result.GetValue(scale);
            await using var fresh = result.GetValue(server) is null ? await FreshServer.StartAsync(plan.Entries, timeScale, Console.Out, ct) : null;
            var target = fresh is null
                ? new SimulationTarget(result.GetValue(server)!, result.GetValue(password)!, result.GetValue(playerKey)!, result.GetValue(category))
                : new SimulationTarget(fresh.Url, fresh.CoordinatorPassword, fresh.PlayerApiKey, result.GetValue(category));
            using var http = new HttpClient { BaseAddress = target.Server };
            var voting = await CoordinatorSession.GetPublicAsync<VotingSnapshot>(http, "/api/voting", ct);
            var scenario = build(plan, voting.ScoreMax);
            Console.WriteLine($"Playing {plan.Entries} finalists of {plan.Video.TotalSeconds:0} s ({(plan.End / timeScale).TotalMinutes:0.0} min at "
                + $"{timeScale.ToString(CultureInfo.InvariantCulture)}× speed) with {scenario.Phones.Count} phones.");
            if (timeScale != 1 && fresh is null)
            {
                Console.WriteLine($"The server must judge at the same pace: was it started with --Amv:Flags:TimeScale={timeScale.ToString(CultureInfo.InvariantCulture)}?");
            }

            var runner = new SimulationRunner(target, SimClock.RealTime(timeScale));
            var outcome = await runner.RunAsync(scenario, ct: ct);
            outcome.Print(Console.Out);
            return 0;
        }
    }

    private static Scenario Hall(ParseResult result, Option<int> hall, Option<int> seed, ShowPlan plan, int scoreMax) =>
        HonestHall.Generate(result.GetValue(hall), plan, result.GetValue(seed), 1, scoreMax);

    private static int Entry(ParseResult result, Option<int> target, ShowPlan plan) => Math.Min(result.GetValue(target), plan.Entries) - 1;

    private static AttackStyle Style(ParseResult result, Option<bool> connect, Option<bool> numbered, Option<(double Min, double Max)> delay)
    {
        var (min, max) = result.GetValue(delay);
        return new AttackStyle(result.GetValue(connect), TimeSpan.FromSeconds(min), TimeSpan.FromSeconds(max), result.GetValue(numbered));
    }

    private static void Add(Command command, IEnumerable<Option> options)
    {
        foreach (var option in options)
        {
            command.Options.Add(option);
        }
    }

    private static Option<int> Count(string name, int defaultValue, string description, int min = 1) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => int.TryParse(r.Tokens.Single().Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n : Error<int>(r, $"{name} is a whole number of at least {min}."),
    };

    private static (double Min, double Max) ParseRange(ArgumentResult r)
    {
        var parts = r.Tokens.Single().Value.Split('-');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max) && min >= 0 && max >= min
            ? (min, max) : Error<(double, double)>(r, "--delay is MIN-MAX in seconds, e.g. 2-8.");
    }

    private static T Error<T>(ArgumentResult r, string message)
    {
        r.AddError(message);
        return default!;
    }
}
