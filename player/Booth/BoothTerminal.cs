using System.Text;
using System.Threading.Channels;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using Microsoft.AspNetCore.SignalR.Client;

namespace AmvScreening.Player.Booth;

/// <summary>
/// The booth laptop's terminal: the projectionist's keys (<see cref="Keys"/>) and a live panel, redrawn at most four
/// times a second: what is on screen, elapsed and remaining time, what is next, the server connection, voters online,
/// the finalists whose file failed its pre-flight check or changed since, recent events.
/// Plain ANSI; used only when standard input is a terminal.
/// </summary>
public sealed class BoothTerminal(
    ShowSequencer sequencer, ShowReporter reporter, LiveInfo live, RecentLog log, TimeProvider? clock = null, CheckedFiles? checkedFiles = null)
{
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(250);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Channel<ConsoleKeyInfo> _keys = Channel.CreateUnbounded<ConsoleKeyInfo>();
    private Prompt? _prompt;

    private enum PromptKind { Jump, Quit }

    private sealed record Prompt(PromptKind Kind, string Typed = "");

    /// <summary>Reads keys and redraws the panel until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        new Thread(ReadKeys) { IsBackground = true, Name = "booth keys" }.Start();
        log.Echo = false;
        Console.Write("\e[?25l\e[2J");
        using var timer = new PeriodicTimer(Redraw, _clock);
        var drawn = "";
        try
        {
            do
            {
                while (_keys.Reader.TryRead(out var key))
                {
                    OnKey(key);
                }

                var panel = Panel(TerminalWidth());
                if (panel != drawn)
                {
                    Console.Write(panel);
                    drawn = panel;
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            Console.Write("\e[?25h\n");
        }
    }

    private void ReadKeys()
    {
        while (true)
        {
            _keys.Writer.TryWrite(Console.ReadKey(intercept: true));
        }
    }

    private void OnKey(ConsoleKeyInfo key)
    {
        if (_prompt is { } prompt)
        {
            _prompt = (prompt.Kind, key.Key) switch
            {
                (_, ConsoleKey.Escape) => null,
                (PromptKind.Quit, _) => QuitIf(key.KeyChar is 'y' or 'Y'),
                (PromptKind.Jump, ConsoleKey.Enter) => JumpTo(prompt.Typed),
                (PromptKind.Jump, ConsoleKey.Backspace) => prompt with { Typed = prompt.Typed[..Math.Max(0, prompt.Typed.Length - 1)] },
                (PromptKind.Jump, _) when char.IsAsciiDigit(key.KeyChar) => prompt with { Typed = prompt.Typed + key.KeyChar },
                _ => prompt,
            };
            return;
        }

        if (char.ToLowerInvariant(key.KeyChar) == Keys.Quit)
        {
            _prompt = new Prompt(PromptKind.Quit);
        }
        else if (Keys.ForKey(key.KeyChar, sequencer.Current?.Phase ?? ShowPhase.Idle, sequencer.Audio.Muted) is { } kind)
        {
            if (kind == PlayerCommandKind.JumpToEntry)
            {
                _prompt = new Prompt(PromptKind.Jump);
            }
            else
            {
                sequencer.Post(new PlayerCommand(Guid.NewGuid(), kind));
            }
        }
    }

    private Prompt? QuitIf(bool confirmed)
    {
        if (confirmed)
        {
            sequencer.Quit();
        }

        return null;
    }

    private Prompt? JumpTo(string typed)
    {
        if (int.TryParse(typed, out var number) && number >= 1 && number <= sequencer.Rundown.Finalists.Count)
        {
            sequencer.Post(new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.JumpToEntry, sequencer.Rundown.Finalists[number - 1].Entry.Id));
        }
        else
        {
            log.Add($"No finalist number {typed} (1–{sequencer.Rundown.Finalists.Count}).");
        }

        return null;
    }

    /// <summary>The whole panel, drawn from the top left, each line cut to <paramref name="width"/> columns and cleared
    /// to its end. User text (names, titles, log lines) is shown on one line (<see cref="DisplayText.OneLine"/>): a
    /// control character in it can never move the cursor or break the panel.</summary>
    internal string Panel(int width)
    {
        var rundown = sequencer.Rundown;
        var screen = sequencer.Current;
        var lines = new List<string>
        {
            $"AMV player · {DisplayText.OneLine(rundown.ContestName)} · server {Connection(reporter.State)} · voters online {live.VotersOnline} · {Volume(sequencer.Audio)}",
            new('─', 72),
        };
        if (screen is null)
        {
            lines.Add("Starting…");
        }
        else
        {
            lines.Add($"ON SCREEN  {screen.Phase}{(screen.Category is { } c ? " · " + DisplayText.OneLine(c) : "")}");
            if (screen.Entry is { } entry)
            {
                var number = rundown.FindEntry(entry.Id)?.Number;
                lines.Add($"           {(number is null ? "" : $"{number}/{rundown.Finalists.Count}  ")}{DisplayText.OneLine(entry.Title)} — {DisplayText.OneLine(string.Join(", ", entry.Editors))}");
            }

            var elapsed = screen.Phase is ShowPhase.Video or ShowPhase.Paused ? sequencer.Position : _clock.GetUtcNow() - screen.StartedAt;
            lines.Add($"           {Clock(elapsed)}{(screen.Duration is { } d ? $" / {Clock(d)}  ({Clock(d - elapsed)} left)" : "")}");
            var next = rundown.UpcomingFinalist(rundown.NextIntro(screen.Step));
            lines.Add(next < rundown.Finalists.Count
                ? $"UP NEXT    {next + 1}/{rundown.Finalists.Count}  {DisplayText.OneLine(rundown.Finalists[next].Entry.Title)} ({DisplayText.OneLine(rundown.Finalists[next].Entry.Category)})" +
                  (checkedFiles?.Flag(rundown.Finalists[next].Entry.Id) is { } flag ? $"  !! {flag}" : "")
                : "UP NEXT    the end card");
        }

        if (checkedFiles?.Summary(rundown) is { } preflight)
        {
            lines.Add(preflight);
        }

        lines.Add(new string('─', 72));
        lines.Add(Keys.Help);
        lines.Add(_prompt switch
        {
            { Kind: PromptKind.Quit } => "Quit the show? (y = yes, any other key = no)",
            { Kind: PromptKind.Jump } p => $"Jump to finalist number (1–{rundown.Finalists.Count}, Enter; Esc cancels): {p.Typed}_",
            _ => "",
        });
        lines.AddRange(log.Lines().Select(DisplayText.OneLine));

        var text = new StringBuilder("\e[H");
        foreach (var line in lines)
        {
            text.Append(DisplayText.CutToColumns(line, width)).Append("\e[K\n");
        }

        return text.Append("\e[J").ToString();
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth is > 10 and var columns ? columns - 1 : 79;
        }
        catch (IOException)
        {
            return 79;
        }
    }

    private static string Connection(HubConnectionState state) => state switch
    {
        HubConnectionState.Connected => "connected",
        HubConnectionState.Reconnecting or HubConnectionState.Connecting => "reconnecting…",
        _ => "NOT CONNECTED (the show goes on; the latest state is sent once it is back)",
    };

    /// <summary>The master volume as the panel shows it: "volume 95 %", "MUTED (volume 95 %)".</summary>
    internal static string Volume(PlayerAudio audio) =>
        audio.Muted ? $"MUTED (volume {audio.VolumePercent} %)" : $"volume {audio.VolumePercent} %";

    private static string Clock(TimeSpan t) => t < TimeSpan.Zero ? "0:00" : $"{(int)t.TotalMinutes}:{t.Seconds:00}";
}
