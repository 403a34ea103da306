using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using AmvScreening.Slates;
using static AmvScreening.Protocol.ShowPhase;

namespace AmvScreening.Tests.Player;

/// <summary>The show's state machine on a fake engine: each item stays on screen until the test ends it.</summary>
[Trait("Kind", "Unit")]
public sealed class ShowSequencerTests
{
    [Fact]
    public async Task ThreeFinalists_PlayCardThenIntroVideoOutroEach_ThenTheEndCard_ReportedWithRisingSequences()
    {
        var reports = new List<OnScreenReport>();
        await using var rig = new ShowRig(ShowRig.Playlist(3));
        await using var reporter = OfflineReporter(rig.Live, lastSequence: 41);
        rig.Sequencer.ScreenChanged += screen => reports.Add(reporter.Report(screen));
        rig.Start();

        var card = await rig.ExpectAsync(CategoryCard);
        Assert.Equal(new MediaItem(FakeSlates.PathOf(SlateKind.CategoryCard), TimeSpan.FromSeconds(5)), card.Item);
        card.End();
        for (var entry = 1; entry <= 3; entry++)
        {
            var intro = await rig.ExpectAsync(IntroSlate, entry);
            Assert.Equal(new MediaItem(FakeSlates.PathOf(SlateKind.Intro, entry), TimeSpan.FromSeconds(8)), intro.Item);
            intro.End();
            var video = await rig.ExpectAsync(Video, entry);
            Assert.Equal(new MediaItem(ShowRig.VideoOf(entry)), video.Item);
            video.End();
            var outro = await rig.ExpectAsync(OutroSlate, entry);
            Assert.Equal(new MediaItem(FakeSlates.PathOf(SlateKind.Outro, entry), TimeSpan.FromSeconds(10)), outro.Item);
            outro.End();
        }

        await rig.ExpectAsync(EndCard);
        await rig.DisposeAsync(); // quits: the screen goes Idle

        ShowPhase[] finalist = [IntroSlate, Video, OutroSlate];
        Assert.Equal([CategoryCard, .. finalist, .. finalist, .. finalist, EndCard, Idle], reports.Select(r => r.Phase));
        Assert.Equal([null, 1, 1, 1, 2, 2, 2, 3, 3, 3, null, null], reports.Select(r => r.EntryId));
        Assert.Equal(Enumerable.Range(42, 12).Select(s => (long)s), reports.Select(r => r.Sequence));
        Assert.Equal([.. Enumerable.Repeat<int?>(101, 10), null, null], reports.Select(r => r.CategoryId));
    }

    [Fact]
    public async Task QuitAfterEndCard_ShowsTheEndCardThatLong_ThenQuitsAndReportsIdle()
    {
        var options = new ShowOptions { QuitAfterEndCard = TimeSpan.FromSeconds(5) };
        await using var rig = new ShowRig(ShowRig.Playlist(1), new RundownOptions(CategoryCards: false), options).Start();
        (await rig.ExpectAsync(IntroSlate, 1)).End();
        (await rig.ExpectAsync(Video, 1)).End();
        (await rig.ExpectAsync(OutroSlate, 1)).End();
        var end = await rig.ExpectAsync(EndCard);
        Assert.Equal(TimeSpan.FromSeconds(5), end.Item!.StillFor);

        end.End();

        await rig.Running.WaitAsync(AmvScreening.Tests.Support.HubTesting.Bound);
        Assert.Equal(Idle, rig.Screens.Last().Phase);
    }

    [Fact]
    public async Task Outro_ShowsTheLatestRoom_SoARotationAppearsOnTheNextOutro()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(2), new RundownOptions(CategoryCards: false)).Start();
        (await rig.ExpectAsync(IntroSlate, 1)).End();
        var video = await rig.ExpectAsync(Video, 1);
        var rotated = new RoomInfo("CCCCCC", "http://amv.test/v/CCCCCC");
        Assert.Null(rig.Live.TakeRoom(rotated)); // while the video plays: its end starts the outro at once
        video.End();
        await rig.ExpectAsync(OutroSlate, 1);

        Assert.Equal(rotated, rig.Slates.Rendered.Last(s => s.Kind == SlateKind.Outro).Room);
    }

    [Fact]
    public async Task VideoThatCannotPlay_ShowsDifficulties_ThenTheNextFinalist_WithoutReportingTheVideo()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(3), new RundownOptions(CategoryCards: false)).Start();
        rig.Engine.Missing.Add(ShowRig.VideoOf(2));
        (await rig.ExpectAsync(IntroSlate, 1)).End();
        (await rig.ExpectAsync(Video, 1)).End();
        (await rig.ExpectAsync(OutroSlate, 1)).End();
        (await rig.ExpectAsync(IntroSlate, 2)).End();

        Assert.Equal(ShowRig.VideoOf(2), (await rig.Engine.NextAsync()).Item.Path);
        var difficulties = await rig.ExpectAsync(Difficulties, 2);
        Assert.Equal(new MediaItem(FakeSlates.PathOf(SlateKind.Difficulties, 2), TimeSpan.FromSeconds(5)), difficulties.Item);
        difficulties.End();
        await rig.ExpectAsync(IntroSlate, 3);

        Assert.DoesNotContain(rig.Screens, s => s is { Phase: Video, Entry.Id: 2 });
    }

    [Fact]
    public async Task FinalistWithoutVideoFile_ShowsDifficulties()
    {
        var show = ShowRig.Playlist(1);
        show = show with { Categories = [show.Categories[0] with { Entries = [show.Categories[0].Entries[0] with { VideoPath = null }] }] };
        await using var rig = new ShowRig(show, new RundownOptions(CategoryCards: false)).Start();
        (await rig.ExpectAsync(IntroSlate, 1)).End();
        (await rig.ExpectAsync(Difficulties, 1)).End();
        await rig.ExpectAsync(EndCard);
    }

    [Fact]
    public async Task PauseAndResume_PauseTheEngine_AndReportPausedWithThePosition()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(2), new RundownOptions(CategoryCards: false)).Start();
        (await rig.ExpectAsync(IntroSlate, 1)).End();
        var video = await rig.ExpectAsync(Video, 1);
        rig.Engine.Position = TimeSpan.FromSeconds(12);

        rig.Send(PlayerCommandKind.Pause);
        var paused = await rig.NextScreenAsync();
        Assert.Equal((Paused, 1, TimeSpan.FromSeconds(12)), (paused.Phase, paused.Entry?.Id, paused.Position));
        rig.Send(PlayerCommandKind.Pause); // already paused: ignored
        rig.Send(PlayerCommandKind.Resume);
        var resumed = await rig.NextScreenAsync();
        Assert.Equal((Video, 1), (resumed.Phase, resumed.Entry?.Id));
        Assert.Equal(["pause", "resume"], rig.Engine.Calls);

        video.End();
        await rig.ExpectAsync(OutroSlate, 1);
    }

    [Fact]
    public async Task Next_GoesToTheNextFinalistsIntro_AndPastTheLastToTheEndCard()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(2)).Start();
        await rig.ExpectAsync(CategoryCard);
        rig.Send(PlayerCommandKind.Next); // on the category card: the intro it leads to
        await rig.ExpectAsync(IntroSlate, 1);
        rig.Send(PlayerCommandKind.Next);
        var intro = await rig.ExpectAsync(IntroSlate, 2);
        intro.End();
        var video = await rig.ExpectAsync(Video, 2);
        rig.Send(PlayerCommandKind.Next);
        await rig.ExpectAsync(EndCard);
        Assert.Equal(PlaybackEnd.Stopped, (await video.Done).End);
    }

    [Fact]
    public async Task Previous_GoesToThePreviousFinalistsIntro()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(2), new RundownOptions(CategoryCards: false)).Start();
        (await rig.ExpectAsync(IntroSlate, 1)).End();
        (await rig.ExpectAsync(Video, 1)).End();
        (await rig.ExpectAsync(OutroSlate, 1)).End();
        (await rig.ExpectAsync(IntroSlate, 2)).End();
        var video = await rig.ExpectAsync(Video, 2);

        rig.Send(PlayerCommandKind.Previous);
        await rig.ExpectAsync(IntroSlate, 1);
        Assert.Equal(PlaybackEnd.Stopped, (await video.Done).End);
        rig.Send(PlayerCommandKind.Previous); // the first finalist: its own intro again
        await rig.ExpectAsync(IntroSlate, 1);
    }

    [Fact]
    public async Task Restart_PlaysTheItemAgainFromItsStart()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(1), new RundownOptions(CategoryCards: false)).Start();
        (await rig.ExpectAsync(IntroSlate, 1)).End();
        await rig.ExpectAsync(Video, 1);
        rig.Engine.Position = TimeSpan.FromSeconds(30);

        rig.Send(PlayerCommandKind.Restart);
        var again = await rig.ExpectAsync(Video, 1);
        Assert.Equal(TimeSpan.Zero, again.Item.StartAt);
        rig.Send(PlayerCommandKind.SkipSlate); // not a slate: ignored, the video goes on
        again.End();
        await rig.ExpectAsync(OutroSlate, 1);
    }

    [Fact]
    public async Task SkipSlate_EndsTheSlateNow()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(1)).Start();
        await rig.ExpectAsync(CategoryCard);
        rig.Send(PlayerCommandKind.SkipSlate);
        await rig.ExpectAsync(IntroSlate, 1);
        rig.Send(PlayerCommandKind.SkipSlate);
        (await rig.ExpectAsync(Video, 1)).End();
        await rig.ExpectAsync(OutroSlate, 1);
        rig.Send(PlayerCommandKind.SkipSlate);
        await rig.ExpectAsync(EndCard);
    }

    [Fact]
    public async Task Blackout_HoldsBlack_ThenTheVideoComesBackWhereItWas()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(1), new RundownOptions(CategoryCards: false)).Start();
        (await rig.ExpectAsync(IntroSlate, 1)).End();
        await rig.ExpectAsync(Video, 1);
        rig.Engine.Position = TimeSpan.FromSeconds(42);

        rig.Send(PlayerCommandKind.BlackoutOn);
        var black = await rig.ExpectAsync(Blackout);
        Assert.Equal(FakeSlates.PathOf(SlateKind.Black), black.Item.Path);
        rig.Send(PlayerCommandKind.Pause); // nothing to pause in a blackout
        black.End(); // held: the black slate comes again
        await rig.ExpectAsync(Blackout);

        rig.Send(PlayerCommandKind.BlackoutOff);
        var back = await rig.ExpectAsync(Video, 1);
        Assert.Equal(new MediaItem(ShowRig.VideoOf(1), StartAt: TimeSpan.FromSeconds(42)), back.Item);
        Assert.Empty(rig.Engine.Calls);
    }

    [Fact]
    public async Task JumpToEntry_GoesToThatFinalistsIntro_UnknownEntriesAreIgnored()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(2, 2)).Start();
        await rig.ExpectAsync(CategoryCard);
        rig.Send(PlayerCommandKind.JumpToEntry, 999);
        rig.Send(PlayerCommandKind.JumpToEntry, 4);
        var intro = await rig.ExpectAsync(IntroSlate, 4);
        Assert.Equal("Category 2", rig.Slates.Rendered.Last().Category);
        intro.End();
        await rig.ExpectAsync(Video, 4);
    }

    [Fact]
    public async Task MalformedCommands_AreIgnored_AndTheShowGoesOn()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(2), new RundownOptions(CategoryCards: false)).Start();
        await rig.ExpectAsync(IntroSlate, 1);

        rig.Sequencer.Post(null!);
        rig.Sequencer.Post(new PlayerCommand(Guid.NewGuid(), (PlayerCommandKind)99));
        rig.Send(PlayerCommandKind.JumpToEntry);
        rig.Send(PlayerCommandKind.ShowWinner, 999);
        rig.Send(PlayerCommandKind.Next);

        await rig.ExpectAsync(IntroSlate, 2);
        Assert.Equal([IntroSlate, IntroSlate], rig.Screens.Select(s => s.Phase));
    }

    [Fact]
    public async Task ShowWinner_ShowsTheWinnerSlateWithItsPrize_ThenGoesBackToWhatWasOn()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(2), new RundownOptions(CategoryCards: false)).Start();
        var entry = rig.Rundown.Finalists[1].Entry;
        Assert.Null(rig.Live.TakeResults(new PublicResults([new RevealedCategory(101, "Category 1", entry, DateTimeOffset.UtcNow)], null, null)));
        (await rig.ExpectAsync(IntroSlate, 1)).End();
        await rig.ExpectAsync(Video, 1);
        rig.Engine.Position = TimeSpan.FromSeconds(7);

        rig.Send(PlayerCommandKind.ShowWinner, entry.Id);
        var winner = await rig.ExpectAsync(Winner, 2);
        Assert.Equal(TimeSpan.FromSeconds(30), winner.Item.StillFor);
        Assert.Equal((SlateKind.Winner, "Category 1", entry), (rig.Slates.Rendered.Last().Kind, rig.Slates.Rendered.Last().Prize, rig.Slates.Rendered.Last().Entry));
        winner.End();

        var back = await rig.ExpectAsync(Video, 1);
        Assert.Equal(TimeSpan.FromSeconds(7), back.Item.StartAt);
    }

    [Fact]
    public async Task Prizegiving_ShowsTheNomineesInRunningOrder_ThenThePrizeWithItsPlacings_OnlyOnceRevealed()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(3), new RundownOptions(CategoryCards: false)).Start();
        var finalists = rig.Rundown.Finalists.Select(f => f.Entry).ToList();
        (await rig.ExpectAsync(IntroSlate, 1)).End();
        await rig.ExpectAsync(Video, 1);
        rig.Engine.Position = TimeSpan.FromSeconds(4);

        rig.Sequencer.Post(new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.ShowPrize, Scope: "category:101")); // not revealed: ignored
        rig.Sequencer.Post(new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.ShowNominees, Scope: "category:101"));
        var nominees = await rig.ExpectAsync(Nominees);
        Assert.Equal((SlateKind.Nominees, "Category 1"), (rig.Slates.Rendered.Last().Kind, rig.Slates.Rendered.Last().Category));
        Assert.Equal(finalists, rig.Slates.Rendered.Last().Nominees);
        Assert.Equal("category:101", rig.Sequencer.Current!.Scope);

        Placing[] placings = [new(1, finalists[2], 4.5, 20), new(2, finalists[0], 4.1, 18), new(3, finalists[1], 3.2, 19)];
        Assert.Null(rig.Live.TakeResults(new PublicResults([new RevealedCategory(101, "Category 1", finalists[2], DateTimeOffset.UtcNow, placings)], null, null)));
        rig.Sequencer.Post(new PlayerCommand(Guid.NewGuid(), PlayerCommandKind.ShowPrize, Scope: "category:101"));
        var prize = await rig.ExpectAsync(Winner, 3);
        var slate = rig.Slates.Rendered.Last();
        Assert.Equal((SlateKind.Winner, "Category 1", finalists[2]), (slate.Kind, slate.Prize, slate.Entry));
        Assert.Equal(placings, slate.Placings);
        prize.End();

        var back = await rig.ExpectAsync(Video, 1);
        Assert.Equal(TimeSpan.FromSeconds(4), back.Item.StartAt);
    }

    [Fact]
    public async Task Intermission_ComesAfterTheGivenCategory_AndCategoriesCanBeCut()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(1, 1, 1), new RundownOptions(CategoryCards: true, Categories: 2, IntermissionAfter: 1)).Start();
        ShowPhase[] phases = [CategoryCard, IntroSlate, Video, OutroSlate, Intermission, CategoryCard, IntroSlate, Video, OutroSlate, EndCard];
        int?[] entries = [null, 1, 1, 1, null, null, 2, 2, 2, null];
        for (var i = 0; i < phases.Length; i++)
        {
            (await rig.ExpectAsync(phases[i], entries[i])).End();
        }
    }

    [Fact]
    public async Task Start_AtAVideoPosition_PlaysTheVideoFromThere()
    {
        await using var rig = new ShowRig(ShowRig.Playlist(2));
        rig.Start(new ShowStart(rig.Rundown.VideoOf(1), TimeSpan.FromSeconds(95)));
        var video = await rig.ExpectAsync(Video, 2);
        Assert.Equal(TimeSpan.FromSeconds(95), video.Item.StartAt);
        Assert.Equal(TimeSpan.FromSeconds(95), rig.Screens.Last().Position);
    }

    private static ShowReporter OfflineReporter(LiveInfo live, long lastSequence) =>
        new(new PlayerApi(new Uri("http://127.0.0.1:9"), "unused"), "unused", live, _ => { }, () => null, () => TimeSpan.Zero, lastSequence);
}
