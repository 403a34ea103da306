using AmvScreening.Player;
using AmvScreening.Player.Booth;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;

namespace AmvScreening.Tests.Player;

/// <summary>The player's command line and the booth's keys.</summary>
public sealed class PlayerCommandLineTests
{
    [Fact]
    public void Run_WithEveryOption_GivesTheSettings()
    {
        var settings = Parse(
            "run", "--server", "http://192.168.1.10:5000", "--api-key", "k", "--media", "/", "--state", "/tmp/s", "--headless", "--display", "1",
            "--resume-position", "--intro", "4.5", "--outro", "12", "--no-category-cards", "--categories", "2", "--intermission-after", "1");

        Assert.NotNull(settings);
        Assert.Equal((new Uri("http://192.168.1.10:5000"), "k", "/", "/tmp/s", true, 1), (settings.Server, settings.ApiKey, settings.MediaFolder, settings.StateFolder, settings.Headless, settings.Display));
        Assert.Equal((true, true), (settings.Resume, settings.ResumePosition));
        Assert.Equal((TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(12)), (settings.Show.Intro, settings.Show.Outro));
        Assert.Equal(new RundownOptions(CategoryCards: false, Categories: 2, IntermissionAfter: 1), settings.Rundown);
    }

    [Theory]
    [InlineData("--server", "ftp://x", "http(s)")]
    [InlineData("--intro", "abc", "--intro wants a number of seconds above 0, not 'abc'")]
    [InlineData("--outro", "0", "--outro wants a number of seconds above 0")]
    [InlineData("--categories", "0", "--categories wants a whole number from 1")]
    [InlineData("--media", "/no/such/folder", "does not exist")]
    [InlineData("--windowed", "--headless", "do not go together")]
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
