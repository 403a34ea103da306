using AmvScreening.Player.Booth;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;

namespace AmvScreening.Tests.Player;

/// <summary>The booth terminal's panel with user text that would garble a terminal (the show runs on the fake engine;
/// the server link is built but never connected).</summary>
public sealed class BoothTerminalTests
{
    [Fact]
    public async Task The_booth_panel_shows_titles_with_control_characters_on_one_line_within_the_terminal()
    {
        var nasty = "Title\nwith\ta break\u001B[2J\u001B[31m red \u202Ereversed\u0007 and a very long tail 君の名は。星の降る夜に " + new string('x', 200);
        var show = ShowRig.Playlist(2) with { ContestName = "Contest\r\nName\u001B[H" };
        show = show with
        {
            Categories =
            [
                show.Categories[0] with
                {
                    Name = "Cat\negory",
                    Entries = show.Categories[0].Entries.Select(e => e with { Entry = e.Entry with { Title = nasty, Editors = ["Ed\nitor\u001B[1m", "B\tB"] } }).ToList(),
                },
            ],
        };
        await using var rig = new ShowRig(show).Start();
        await rig.ExpectAsync(ShowPhase.CategoryCard);
        rig.Send(PlayerCommandKind.Next);
        await rig.ExpectAsync(ShowPhase.IntroSlate, 1);
        var log = new RecentLog { Echo = false };
        log.Add("a log line\nthat a title split\u001B[2J");
        await using var reporter = new ShowReporter(new PlayerApi(new Uri("http://127.0.0.1:9"), "key"), "key", rig.Live, _ => { }, () => null, () => TimeSpan.Zero, 0);
        var terminal = new BoothTerminal(rig.Sequencer, reporter, rig.Live, log);

        var panel = terminal.Panel(80);

        Assert.StartsWith("\u001B[H", panel, StringComparison.Ordinal);
        Assert.EndsWith("\u001B[J", panel, StringComparison.Ordinal);
        var lines = panel[3..^3].Split("\u001B[K\n", StringSplitOptions.None)[..^1];
        Assert.All(lines, line =>
        {
            Assert.DoesNotContain(line, c => char.IsControl(c) || DisplayText.IsBidiControl(c));
            Assert.True(DisplayText.Columns(line) <= 80, $"{DisplayText.Columns(line)} columns: {line}");
        });
        Assert.Contains(lines, line => line.Contains("Title with a break [2J [31m red reversed and a very long", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Contest Name [H", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.EndsWith("a log line that a title split [2J", StringComparison.Ordinal));
    }
}
