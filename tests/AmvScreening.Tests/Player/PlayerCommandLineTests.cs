using System.CommandLine;
using AmvScreening.Player;
using AmvScreening.Player.Booth;
using AmvScreening.Player.Preflight;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;

namespace AmvScreening.Tests.Player;

/// <summary>The player's command line and the booth's keys.</summary>
[Trait("Kind", "Unit")]
public sealed class PlayerCommandLineTests
{
    [Fact]
    public void Run_WithEveryOption_GivesTheSettings()
    {
        var settings = Parse(
            "run", "--server", "http://192.168.1.10:5000", "--api-key", "k", "--media", "/", "--state", "/tmp/s", "--headless", "--display", "1",
            "--resume-position", "--intro", "4.5", "--outro", "12", "--no-category-cards", "--categories", "2", "--intermission-after", "1",
            "--audio-out", "/tmp/show.wav");

        Assert.NotNull(settings);
        Assert.Equal((new Uri("http://192.168.1.10:5000"), "k", "/", "/tmp/s", true, 1), (settings.Server, settings.ApiKey, settings.MediaFolder, settings.StateFolder, settings.Headless, settings.Display));
        Assert.Equal((true, true), (settings.Resume, settings.ResumePosition));
        Assert.Equal((TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(12)), (settings.Show.Intro, settings.Show.Outro));
        Assert.Equal(new RundownOptions(CategoryCards: false, Categories: 2, IntermissionAfter: 1), settings.Rundown);
        Assert.Equal("/tmp/show.wav", settings.AudioOut);
    }

    [Theory]
    [InlineData("--server", "ftp://x", "http(s)")]
    [InlineData("--intro", "abc", "--intro wants a number of seconds above 0, not 'abc'")]
    [InlineData("--outro", "0", "--outro wants a number of seconds above 0")]
    [InlineData("--categories", "0", "--categories wants a whole number from 1")]
    [InlineData("--media", "/no/such/folder", "does not exist")]
    [InlineData("--windowed", "--headless", "do not go together")]
    [InlineData("--audio-out", "/no/such/folder/show.wav", "--audio-out wants a file in an existing folder")]
    [InlineData("--audio-out", "/tmp", "is a folder")]
    public void Run_WithABadArgument_IsRefusedWithAClearError(string option, string value, string error)
    {
        var args = new List<string> { "run", "--server", "http://localhost:5000", "--api-key", "k" };
        if (option == "--server")
        {
            args.RemoveRange(1, 2);
        }

        var result = PlayerCommandLine.Create((_, _) => Task.FromResult(0)).Parse([.. args, option, value]);

        Assert.Contains(result.Errors, e => e.Message.Contains(error, StringComparison.Ordinal));
    }

    /// <summary>Every option of <c>run</c> and <c>preflight</c> that takes a value, given last without one.</summary>
    public static TheoryData<string, string> ValuedOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (var command in PlayerCommandLine.Create((_, _) => Task.FromResult(0)).Subcommands)
        {
            foreach (var option in command.Options.Where(o => o.ValueType != typeof(bool) && !o.Name.StartsWith("-?", StringComparison.Ordinal)))
            {
                data.Add(command.Name, option.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ValuedOptions))]
    public async Task AnyOptionWithoutItsValue_IsAUsageError_NamingIt_WithTheUsageAndTheCommandsExitCode(string command, string option)
    {
        // A valid command line without the option, which then comes last.
        (string Name, string Value)[] needed = command == "run" || option == "--contest"
            ? [("--server", "http://localhost:5000"), ("--api-key", "k")]
            : [("--contest", "c.json")];
        var (exit, error, ran, _) = await InvokeAsync([command, .. needed.Where(o => o.Name != option).SelectMany(o => new[] { o.Name, o.Value }), option]);

        Assert.Equal(command == "run" ? PlayerCommandLine.RunUsageExitCode : PreflightExitCodes.Usage, exit);
        Assert.False(ran);
        var first = error.Split('\n')[0];
        Assert.StartsWith("error: ", first, StringComparison.Ordinal);
        Assert.Contains(option, first, StringComparison.Ordinal);
        Assert.Contains($"Usage: {command} ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "--intro <SECONDS>", "[default: 8]")]
    [InlineData("preflight", "--contest <FILE.json>", "Exit codes: 0 every finalist will play")]
    [InlineData("preflight", "--json <FILE>", "       preflight --contest FILE.json [--media DIR]")]
    public async Task Help_ListsTheOptions_AndWhatTheCommandAddsToThem(string command, string option, string text)
    {
        var (exit, error, ran, output) = await InvokeAsync([command, "--help"]);

        Assert.Equal((0, "", false), (exit, error, ran));
        Assert.Contains(option, output, StringComparison.Ordinal);
        Assert.Contains(text, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run", "--fast")]
    [InlineData("preflight", "--fast")]
    [InlineData("run", "extra")]
    public async Task AnUnknownOptionOrArgument_IsNamed_AndNothingRuns(string command, string token)
    {
        string[] valid = command == "run" ? ["run", "--server", "http://localhost:5000", "--api-key", "k"] : ["preflight", "--contest", "c.json"];
        var (exit, error, ran, _) = await InvokeAsync([.. valid, token]);

        Assert.Equal(command == "run" ? PlayerCommandLine.RunUsageExitCode : PreflightExitCodes.Usage, exit);
        Assert.False(ran);
        Assert.StartsWith(token.StartsWith('-') ? $"error: unknown option '{token}'\n" : $"error: unexpected argument '{token}'\n", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrecognized", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(' ', ShowPhase.Video, PlayerCommandKind.Pause)]
    [InlineData(' ', ShowPhase.Paused, PlayerCommandKind.Resume)]
    [InlineData('b', ShowPhase.IntroSlate, PlayerCommandKind.BlackoutOn)]
    [InlineData('b', ShowPhase.Blackout, PlayerCommandKind.BlackoutOff)]
    [InlineData('N', ShowPhase.Video, PlayerCommandKind.Next)]
    [InlineData('s', ShowPhase.OutroSlate, PlayerCommandKind.SkipSlate)]
    [InlineData('j', ShowPhase.OutroSlate, PlayerCommandKind.JumpToEntry)]
    public void Keys_MapToCommands_SpaceAndBToggle(char key, ShowPhase phase, PlayerCommandKind expected) =>
        Assert.Equal(expected, Keys.ForKey(key, phase));

    [Fact]
    public void Keys_QuitAndOtherKeys_AreNoCommand()
    {
        Assert.Null(Keys.ForKey(Keys.Quit, ShowPhase.Video));
        Assert.Null(Keys.ForKey('x', ShowPhase.Video));
    }

    /// <summary>The whole command line as the player runs it, with a <c>run</c> that only notes it ran and a
    /// <c>preflight</c> engine that must not be made.</summary>
    private static async Task<(int Exit, string Error, bool Ran, string Output)> InvokeAsync(string[] args)
    {
        var ran = false;
        var root = PlayerCommandLine.Create((_, _) =>
        {
            ran = true;
            return Task.FromResult(0);
        }, () => throw new InvalidOperationException("preflight ran"));
        var (output, error) = (new StringWriter { NewLine = "\n" }, new StringWriter { NewLine = "\n" });
        var exit = await PlayerCommandLine.InvokeAsync(root, args, new InvocationConfiguration { Output = output, Error = error });
        return (exit, error.ToString(), ran, output.ToString());
    }

    private static PlayerSettings? Parse(params string[] args)
    {
        PlayerSettings? parsed = null;
        var result = PlayerCommandLine.Create((settings, _) =>
        {
            parsed = settings;
            return Task.FromResult(0);
        }).Parse(args);
        Assert.Empty(result.Errors);
        Assert.Equal(0, result.Invoke());
        return parsed;
    }
}
