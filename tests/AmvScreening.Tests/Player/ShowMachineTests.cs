using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;
using static AmvScreening.Protocol.ShowPhase;
using static AmvScreening.Tests.Player.ShowMachineTable;

namespace AmvScreening.Tests.Player;

/// <summary>
/// Every transition of the show's state machine: for a state of each phase and each event, the next state and the effects
/// (an event a state does not list must be ignored there), the cases that can never happen, and the table in
/// docs/player.md, which must be the one the code renders.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class ShowMachineTests
{
    private static readonly int Card2 = StepOf(StepKind.CategoryCard, 2);
    private static readonly int Intro1 = StepOf(StepKind.Intro, 1);
    private static readonly int Intro2 = StepOf(StepKind.Intro, 2);
    private static readonly int Video2 = StepOf(StepKind.Video, 2);
    private static readonly int Outro2 = StepOf(StepKind.Outro, 2);
    private static readonly int Break = StepOf(StepKind.Intermission);
    private static readonly int Intro3 = StepOf(StepKind.Intro, 3);
    private static readonly int End = StepOf(StepKind.End);
    private static readonly EntrySummary Winner3 = Entry(3);
    private static readonly TimeSpan P = Position;
    private static readonly TimeSpan C = Covered;

    /// <summary>What an event does: the next state (null: ignored) and the effects in words.</summary>
    private sealed record Expect(SequencerState? Next, string Effects = "—");

    private static Expect To(SequencerState next, string effects = "—") => new(next, effects);

    /// <summary>The item on screen is stopped and <paramref name="next"/>'s comes.</summary>
    private static Expect Stop(SequencerState next) => new(next, "stop");

    private static Expect Go(int step) => Stop(Coming(step));

    private static Expect Pause(SequencerState state) => To(state with { OnAir = state.OnAir! with { Paused = true } }, "pause, report `paused` at 0:05");

    private static Expect Quit(SequencerState state) => To(state with { OnAir = null, Quit = true }, "stop, report `idle`");

    /// <summary>What moves each state of <see cref="ShowMachineTable.States"/>, by event; every other event is ignored.</summary>
    private static readonly Dictionary<SequencerState, Dictionary<string, Expect>> Expected = Table();

    private static Dictionary<SequencerState, Dictionary<string, Expect>> Table()
    {
        var (card, intro, video, outro, intermission, difficulties, endCard, pausedVideo, pausedIntro, blackout, winner, winnerOverBlackout, idle) =
            (States[0], States[1], States[2], States[3], States[4], States[5], States[6], States[7], States[8], States[9], States[10], States[11], States[12]);
        var nominees = States[13];
        var table = new Dictionary<SequencerState, Dictionary<string, Expect>>
        {
            [card] = new()
            {
                ["ended"] = To(Coming(Intro3)), ["stopped"] = To(Coming(Intro3)), ["failed"] = To(Coming(Intro3)),
                ["pause"] = Pause(card), ["next"] = Go(Intro3), ["skipSlate"] = Go(Intro3), ["previous"] = Go(Intro2), ["restart"] = Go(Card2),
                ["blackoutOn"] = Stop(Coming(Card2, cover: new Cover(Blackout: true))), ["jumpToEntry #1"] = Go(Intro1),
                ["showWinner #3"] = Stop(Coming(Card2, cover: new Cover(Announcement: Announcement.WinnerOf(Winner3)))), ["quit"] = Quit(card),
            },
            [intro] = new()
            {
                ["ended"] = To(Coming(Video2)), ["stopped"] = To(Coming(Video2)), ["failed"] = To(Coming(Video2)),
                ["pause"] = Pause(intro), ["next"] = Go(Intro3), ["previous"] = Go(Intro1), ["jumpToEntry #1"] = Go(Intro1), ["restart"] = Go(Intro2),
                ["skipSlate"] = Go(Video2), ["blackoutOn"] = Stop(Coming(Intro2, cover: new Cover(Blackout: true))),
                ["showWinner #3"] = Stop(Coming(Intro2, cover: new Cover(Announcement: Announcement.WinnerOf(Winner3)))), ["quit"] = Quit(intro),
            },
            [video] = new()
            {
                ["ended"] = To(Coming(Outro2)), ["stopped"] = To(Coming(Outro2)), ["failed"] = To(Coming(Video2, cover: new Cover(Difficulties: true))),
                ["pause"] = Pause(video), ["next"] = Go(Intro3), ["previous"] = Go(Intro1), ["jumpToEntry #1"] = Go(Intro1), ["restart"] = Go(Video2),
                ["blackoutOn"] = Stop(Coming(Video2, P, new Cover(Blackout: true))), ["showWinner #3"] = Stop(Coming(Video2, P, new Cover(Announcement: Announcement.WinnerOf(Winner3)))),
                ["quit"] = Quit(video),
            },
            [outro] = new()
            {
                ["ended"] = To(Coming(Break)), ["stopped"] = To(Coming(Break)), ["failed"] = To(Coming(Break)),
                ["pause"] = Pause(outro), ["next"] = Go(Intro3), ["previous"] = Go(Intro1), ["jumpToEntry #1"] = Go(Intro1), ["restart"] = Go(Outro2),
                ["skipSlate"] = Go(Break), ["blackoutOn"] = Stop(Coming(Outro2, cover: new Cover(Blackout: true))),
                ["showWinner #3"] = Stop(Coming(Outro2, cover: new Cover(Announcement: Announcement.WinnerOf(Winner3)))), ["quit"] = Quit(outro),
            },
            [intermission] = new()
            {
                ["ended"] = To(Coming(Card2)), ["stopped"] = To(Coming(Card2)), ["failed"] = To(Coming(Card2)),
                ["pause"] = Pause(intermission), ["next"] = Go(Intro3), ["previous"] = Go(Intro2), ["jumpToEntry #1"] = Go(Intro1), ["restart"] = Go(Break),
                ["skipSlate"] = Go(Card2), ["blackoutOn"] = Stop(Coming(Break, cover: new Cover(Blackout: true))),
                ["showWinner #3"] = Stop(Coming(Break, cover: new Cover(Announcement: Announcement.WinnerOf(Winner3)))), ["quit"] = Quit(intermission),
            },
            [difficulties] = new()
            {
                ["ended"] = To(Coming(Break)), ["stopped"] = To(Coming(Break)), ["failed"] = To(Coming(Break)),
                ["pause"] = Pause(difficulties), ["next"] = Go(Intro3), ["previous"] = Go(Intro1), ["jumpToEntry #1"] = Go(Intro1),
                ["restart"] = Go(Video2), ["skipSlate"] = Go(Break),
                ["blackoutOn"] = Stop(Coming(Video2, cover: new Cover(Difficulties: true, Blackout: true))),
                ["showWinner #3"] = Stop(Coming(Video2, cover: new Cover(Difficulties: true, Announcement: Announcement.WinnerOf(Winner3)))), ["quit"] = Quit(difficulties),
            },
            [endCard] = new()
            {
                ["ended"] = To(Coming(End)), ["stopped"] = To(Coming(End)), ["failed"] = To(Coming(End)),
                ["pause"] = Pause(endCard), ["next"] = Go(End), ["restart"] = Go(End), ["previous"] = Go(Intro3), ["jumpToEntry #1"] = Go(Intro1),
                ["blackoutOn"] = Stop(Coming(End, cover: new Cover(Blackout: true))),
                ["showWinner #3"] = Stop(Coming(End, cover: new Cover(Announcement: Announcement.WinnerOf(Winner3)))), ["quit"] = Quit(endCard),
            },
            [pausedVideo] = new()
            {
                ["ended"] = To(Coming(Outro2)), ["stopped"] = To(Coming(Outro2)), ["failed"] = To(Coming(Video2, cover: new Cover(Difficulties: true))),
                ["resume"] = To(video, "resume, report `video` at 0:05"), ["next"] = Go(Intro3), ["previous"] = Go(Intro1), ["jumpToEntry #1"] = Go(Intro1),
                ["restart"] = Go(Video2), ["blackoutOn"] = Stop(Coming(Video2, P, new Cover(Blackout: true))),
                ["showWinner #3"] = Stop(Coming(Video2, P, new Cover(Announcement: Announcement.WinnerOf(Winner3)))), ["quit"] = Quit(pausedVideo),
            },
            [pausedIntro] = new()
            {
                ["ended"] = To(Coming(Video2)), ["stopped"] = To(Coming(Video2)), ["failed"] = To(Coming(Video2)),
                ["resume"] = To(intro, "resume, report `introSlate` at 0:05"), ["next"] = Go(Intro3), ["previous"] = Go(Intro1), ["jumpToEntry #1"] = Go(Intro1),
                ["restart"] = Go(Intro2), ["skipSlate"] = Go(Video2), ["blackoutOn"] = Stop(Coming(Intro2, cover: new Cover(Blackout: true))),
                ["showWinner #3"] = Stop(Coming(Intro2, cover: new Cover(Announcement: Announcement.WinnerOf(Winner3)))), ["quit"] = Quit(pausedIntro),
            },
            [blackout] = new()
            {
                ["ended"] = To(Coming(Video2, C, new Cover(Blackout: true))), ["stopped"] = To(Coming(Video2, C, new Cover(Blackout: true))),
                ["failed"] = To(Coming(Video2, C, new Cover(Blackout: true))),
                ["next"] = Go(Intro3), ["previous"] = Go(Intro1), ["jumpToEntry #1"] = Go(Intro1), ["blackoutOff"] = Stop(Coming(Video2, C)),
                ["showWinner #3"] = Stop(Coming(Video2, C, new Cover(Blackout: true, Announcement: Announcement.WinnerOf(Winner3)))), ["quit"] = Quit(blackout),
            },
            [winner] = new()
            {
                ["ended"] = To(Coming(Video2, C)), ["stopped"] = To(Coming(Video2, C)), ["failed"] = To(Coming(Video2, C)),
                ["pause"] = Pause(winner), ["next"] = Go(Intro3), ["previous"] = Go(Intro1), ["jumpToEntry #1"] = Go(Intro1),
                ["restart"] = Stop(Coming(Video2, C, new Cover(Announcement: Announcement.WinnerOf(Winner3)))), ["showWinner #3"] = Stop(Coming(Video2, C, new Cover(Announcement: Announcement.WinnerOf(Winner3)))),
                ["skipSlate"] = Stop(Coming(Video2, C)), ["blackoutOn"] = Stop(Coming(Video2, C, new Cover(Blackout: true))), ["quit"] = Quit(winner),
            },
            [winnerOverBlackout] = new()
            {
                ["ended"] = To(Coming(Video2, C, new Cover(Blackout: true))), ["stopped"] = To(Coming(Video2, C, new Cover(Blackout: true))),
                ["failed"] = To(Coming(Video2, C, new Cover(Blackout: true))),
                ["pause"] = Pause(winnerOverBlackout), ["next"] = Go(Intro3), ["previous"] = Go(Intro1), ["jumpToEntry #1"] = Go(Intro1),
                ["restart"] = Stop(Coming(Video2, C, new Cover(Blackout: true, Announcement: Announcement.WinnerOf(Winner3)))),
                ["showWinner #3"] = Stop(Coming(Video2, C, new Cover(Blackout: true, Announcement: Announcement.WinnerOf(Winner3)))),
                ["skipSlate"] = Stop(Coming(Video2, C, new Cover(Blackout: true))),
                ["blackoutOff"] = To(winner), // lifted unseen under the winner slate, which stays on screen
                ["quit"] = Quit(winnerOverBlackout),
            },
            [idle] = [],
            [nominees] = new()
            {
                ["ended"] = To(Coming(Video2, C)), ["stopped"] = To(Coming(Video2, C)), ["failed"] = To(Coming(Video2, C)),
                ["pause"] = Pause(nominees), ["next"] = Go(Intro3), ["previous"] = Go(Intro1), ["jumpToEntry #1"] = Go(Intro1),
                ["restart"] = Stop(Coming(Video2, C, new Cover(Announcement: Nominees2))),
                ["showWinner #3"] = Stop(Coming(Video2, C, new Cover(Announcement: Announcement.WinnerOf(Winner3)))),
                ["skipSlate"] = Stop(Coming(Video2, C)), ["blackoutOn"] = Stop(Coming(Video2, C, new Cover(Blackout: true))), ["quit"] = Quit(nominees),
            },
        };

        // The prizegiving's slates come over whatever is on screen exactly as a winner slate does.
        foreach (var events in table.Values)
        {
            if (events.GetValueOrDefault("showWinner #3") is { Next: { } covered })
            {
                events["showNominees category:102"] = Stop(covered with { Cover = covered.Cover with { Announcement = Nominees2 } });
                events["showPrize category:102"] = Stop(covered with { Cover = covered.Cover with { Announcement = Prize2 } });
            }
        }

        return table;
    }

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var state in States)
        {
            foreach (var name in Events.Select(e => e.Name).Concat(Malformed.Select(e => e.Name)))
            {
                data.Add(Describe(state), name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Apply_GivesTheStateAndEffectsOfTheTable(string state, string @event)
    {
        var from = States.Single(s => Describe(s) == state);
        var e = Events.Concat(Malformed).First(e => e.Name == @event).Event;

        var transition = ShowMachine.Apply(from, e, Context);

        if (Expected[from].TryGetValue(@event, out var expected))
        {
            Assert.False(transition.Ignored);
            Assert.Equal(expected.Next, transition.State);
            Assert.Equal(expected.Effects, Effects(transition.Effects));
        }
        else
        {
            Assert.True(transition.Ignored, $"{@event} on {state} should be ignored, not lead to {Describe(transition.State)}");
            Assert.Same(from, transition.State);
            Assert.Empty(transition.Effects);
        }
    }

    [Fact]
    public void Table_HasAStateOfEveryPhase_AndEveryCommandKind()
    {
        Assert.Equal(Enum.GetValues<ShowPhase>().Order(), States.Select(s => ShowMachine.PhaseOf(s, Example)).Distinct().Order());
        // Volume commands never reach the machine: the sequencer sets the volume at once, whatever is on screen.
        Assert.Equal(Enum.GetValues<PlayerCommandKind>().Where(k => !PlayerAudio.IsVolumeCommand(k)).Order(),
            Events.Select(e => e.Event).OfType<ShowEvent.Command>().Select(c => c.Given!.Kind).Order());
        Assert.Equal(States.Count, Expected.Count);
    }

    /// <summary>The changes docs/player.md names as impossible: no event leads there.</summary>
    [Theory]
    [InlineData("idle", Paused)]
    [InlineData("idle", OutroSlate)]
    [InlineData("idle", IntroSlate)]
    [InlineData("introSlate", OutroSlate)]
    [InlineData("categoryCard", Video)]
    [InlineData("endCard", Video)]
    [InlineData("paused video", Paused)]
    [InlineData("paused introSlate", Paused)]
    [InlineData("blackout", Paused)]
    [InlineData("winner over introSlate", OutroSlate)]
    [InlineData("difficulties", OutroSlate)]
    public void Never_AnEventLeadsFromTheStateToThePhase(string from, ShowPhase to)
    {
        var state = from switch
        {
            "idle" => States.Single(s => s.Quit),
            "introSlate" => Coming(Intro2).OnAir(),
            "categoryCard" => Coming(Card2).OnAir(),
            "endCard" => Coming(End).OnAir(),
            "paused video" => Coming(Video2).OnAir(paused: true),
            "paused introSlate" => Coming(Intro2).OnAir(paused: true),
            "blackout" => Coming(Video2, C, new Cover(Blackout: true)).OnAir(),
            "winner over introSlate" => Coming(Intro2, cover: new Cover(Announcement: Announcement.WinnerOf(Winner3))).OnAir(),
            _ => Coming(Video2, cover: new Cover(Difficulties: true)).OnAir(),
        };

        foreach (var (name, e) in Events.Concat(Malformed))
        {
            var transition = ShowMachine.Apply(state, e, Context);
            Assert.False(!transition.Ignored && ShowMachine.PhaseOf(transition.State, Example) == to, $"{name} led from {from} to {to}");
        }
    }

    [Fact]
    public void EveryReport_DescribesTheStateItLeadsTo()
    {
        foreach (var state in States.Concat(States.Select(s => s with { OnAir = null })))
        {
            foreach (var (name, e) in Events)
            {
                var transition = ShowMachine.Apply(state, e, Context);
                foreach (var report in transition.Effects.OfType<ShowEffect.Report>())
                {
                    var next = transition.State;
                    var item = ShowMachine.ItemOf(next, Example);
                    var expected = next.Quit
                        ? new OnScreen(Idle, null, null, null, next.Step, Now, null, TimeSpan.Zero)
                        : new OnScreen(ShowMachine.PhaseOf(next, Example), item.Entry, item.Category?.Id ?? item.Entry?.CategoryId,
                            item.Category?.Name ?? item.Entry?.Category, next.Step, next.OnAir!.At, next.OnAir.Length, report.Screen.Position, item.Scope);
                    Assert.True(expected == report.Screen, $"{name} on {Describe(state)}: reported {report.Screen}, the state shows {expected}");
                }
            }
        }
    }

    [Fact]
    public void ACommandThatLeavesTheItemOnScreen_StopsIt_AndNoOtherStops()
    {
        foreach (var state in States.Where(s => !s.Quit))
        {
            foreach (var (name, e) in Events.Where(e => e.Event is ShowEvent.Command or ShowEvent.Quit))
            {
                var transition = ShowMachine.Apply(state, e, Context);
                var leaves = !transition.Ignored && transition.State.OnAir is null;
                Assert.True(leaves == transition.Effects.OfType<ShowEffect.StopItem>().Any(), $"{name} on {Describe(state)}");
            }
        }
    }

    [Fact]
    public void Started_PutsTheComingItemOnScreen_ReportingWhenItsLengthAndAVideosStartPosition()
    {
        var coming = Coming(Video2, C);

        var transition = ShowMachine.Apply(coming, new ShowEvent.Started(TimeSpan.FromMinutes(4)), Context);

        Assert.Equal(coming with { OnAir = new OnAir(Now, TimeSpan.FromMinutes(4)) }, transition.State);
        var report = Assert.IsType<ShowEffect.Report>(Assert.Single(transition.Effects)).Screen;
        Assert.Equal(new OnScreen(Video, Entry(2), 101, "Category 1", Video2, Now, TimeSpan.FromMinutes(4), C), report);
    }

    [Fact]
    public void PauseAndResume_ReportTheItemsOwnStartAndLength_AtTheEnginesPosition()
    {
        var video = Coming(Video2).OnAir();

        var paused = ShowMachine.Apply(video, new ShowEvent.Command(new PlayerCommand(Guid.Empty, PlayerCommandKind.Pause), P), Context);
        var resumed = ShowMachine.Apply(paused.State, new ShowEvent.Command(new PlayerCommand(Guid.Empty, PlayerCommandKind.Resume), P * 2), Context);

        Assert.Equal(new OnScreen(Paused, Entry(2), 101, "Category 1", Video2, Then, TimeSpan.FromMinutes(3), P), paused.Effects.OfType<ShowEffect.Report>().Single().Screen);
        Assert.Equal(new OnScreen(Video, Entry(2), 101, "Category 1", Video2, Then, TimeSpan.FromMinutes(3), P * 2), resumed.Effects.OfType<ShowEffect.Report>().Single().Screen);
        Assert.Equal(video, resumed.State);
    }

    [Fact]
    public void AComingItem_IgnoresCommands_AVideoThatEndsBeforeItIsOnScreenFailed_AndQuitEndsTheShow()
    {
        foreach (var coming in States.Where(s => !s.Quit).Select(s => s with { OnAir = null }))
        {
            foreach (var (name, e) in Events.Where(e => e.Event is ShowEvent.Command))
            {
                Assert.True(ShowMachine.Apply(coming, e, Context).Ignored, $"{name} on coming {Describe(coming)}");
            }

            var quit = ShowMachine.Apply(coming, new ShowEvent.Quit(), Context);
            Assert.Equal((Idle, "stop, report `idle`"), (ShowMachine.PhaseOf(quit.State, Example), Effects(quit.Effects)));
        }

        var video = Coming(Video2);
        Assert.Equal(Coming(Video2, cover: new Cover(Difficulties: true)), ShowMachine.Apply(video, new ShowEvent.Ended(PlaybackEnd.Ended), Context).State);
        Assert.Equal(Coming(Video2), ShowMachine.Apply(Coming(Intro2), new ShowEvent.Ended(PlaybackEnd.Ended), Context).State);
    }

    [Fact]
    public void EndCard_WhenTheShowQuitsAfterIt_EndsTheShowWhenItsTimeIsUp_ButIsHeldWhenStopped()
    {
        var context = Context with { QuitAfterEndCard = true };
        var endCard = Coming(End).OnAir();

        var ended = ShowMachine.Apply(endCard, new ShowEvent.Ended(PlaybackEnd.Ended), context);
        var stopped = ShowMachine.Apply(endCard, new ShowEvent.Ended(PlaybackEnd.Stopped), context);

        Assert.Equal((true, "report `idle`"), (ended.State.Quit, Effects(ended.Effects)));
        Assert.Equal(Coming(End), stopped.State);
    }

    [Fact]
    public void ShowWinner_ForAnEntryOnlyTheRevealedResultsName_ShowsItsSlate()
    {
        var outsider = new EntrySummary(501, 109, "Elsewhere", "Other Show's Winner", ["Someone"], "Artist", "Song", ["Anime"], null);
        var context = Context with { Results = new PublicResults([new RevealedCategory(109, "Elsewhere", outsider, Then)], null, null) };
        var command = new ShowEvent.Command(new PlayerCommand(Guid.Empty, PlayerCommandKind.ShowWinner, 501), P);

        var transition = ShowMachine.Apply(Coming(Intro2).OnAir(), command, context);

        Assert.Equal(Coming(Intro2, cover: new Cover(Announcement: Announcement.WinnerOf(outsider))), transition.State);
        Assert.Equal(new ShowItem(Winner, null, outsider, null), ShowMachine.ItemOf(transition.State, Example));
        Assert.True(ShowMachine.Apply(Coming(Intro2).OnAir(), command, Context).Ignored); // nothing revealed names it
    }

    [Theory]
    [InlineData(-5, 0)]
    [InlineData(3, 3)]
    [InlineData(1000, 12)]
    public void Start_KeepsTheStepWithinTheRunningOrder(int step, int expected) =>
        Assert.Equal(Coming(expected, C), ShowMachine.Start(Example, new ShowStart(step, C)));

    /// <summary>Any sequence of events, malformed ones included, never throws and always leaves a state with a phase.</summary>
    [Fact]
    public void RandomEvents_NeverThrow_AndEveryStateHasAPhase()
    {
        var random = new Random(20261128);
        var state = ShowMachine.Start(Example, new ShowStart(0));
        var kinds = Enum.GetValues<PlayerCommandKind>().Append((PlayerCommandKind)(-1)).Append((PlayerCommandKind)42).ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            ShowEvent? e = random.Next(8) switch
            {
                0 => new ShowEvent.Started(random.Next(3) == 0 ? null : TimeSpan.FromSeconds(random.Next(600))),
                1 => new ShowEvent.Ended((PlaybackEnd)random.Next(-1, 4)),
                2 => null,
                3 when random.Next(50) == 0 => new ShowEvent.Quit(),
                4 => new ShowEvent.Command(null, TimeSpan.FromSeconds(random.Next(-10, 600))),
                _ => new ShowEvent.Command(
                    new PlayerCommand(Guid.NewGuid(), kinds[random.Next(kinds.Length)], random.Next(4) == 0 ? null : random.Next(-2, 6)),
                    TimeSpan.FromSeconds(random.Next(-10, 600))),
            };

            var transition = ShowMachine.Apply(state, e, Context);
            Assert.True(Enum.IsDefined(ShowMachine.PhaseOf(transition.State, Example)));
            Assert.InRange(transition.State.Step, 0, Example.End);
            state = transition.State.Quit && random.Next(2) == 0 ? ShowMachine.Start(Example, new ShowStart(random.Next(Example.Steps.Count))) : transition.State;
        }
    }

    private const string Begin = "<!-- transitions: rendered from ShowMachine by ShowMachineTests; do not edit by hand -->";
    private const string Finish = "<!-- end of transitions -->";

    [Fact]
    public void Docs_PrintTheTableTheCodeRenders()
    {
        var path = RepoPaths.Of("docs", "player.md");
        var text = File.ReadAllText(path);
        var (start, end) = (text.IndexOf(Begin, StringComparison.Ordinal), text.IndexOf(Finish, StringComparison.Ordinal));
        Assert.True(start >= 0 && end > start, $"docs/player.md lacks the markers of the transitions table ({Begin} … {Finish}) under \"## The state machine\".");
        var rendered = $"{Begin}\n\n{Render()}\n{Finish}";
        var current = text[start..(end + Finish.Length)];
        if (current == rendered)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("AMV_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, text[..start] + rendered + text[(end + Finish.Length)..]);
            return;
        }

        Assert.Fail("docs/player.md's transitions table is not the one ShowMachine renders. Regenerate it with:\n" +
            "  AMV_UPDATE_DOCS=1 dotnet test tests/AmvScreening.Tests -c Release --no-build --filter \"FullyQualifiedName~ShowMachineTests.Docs\"");
    }
}
