using System.Collections.Concurrent;
using System.Threading.Channels;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Player;

/// <summary>A sequencer on the fake engine and slates, over a made-up playlist. <see cref="Start"/> runs it; disposing
/// quits it.</summary>
public sealed class ShowRig : IAsyncDisposable
{
    public const string Media = "/media";
    public static readonly RoomInfo Room = new("AAAAAA", "http://amv.test/v/AAAAAA");

    private readonly Channel<OnScreen> _screens = Channel.CreateUnbounded<OnScreen>();
    private Task _run = Task.CompletedTask;

    public ShowRig(PlayerShow show, RundownOptions? rundown = null, ShowOptions? options = null)
    {
        Live = new LiveInfo(show.Room);
        Rundown = Rundown.Build(show, rundown ?? new RundownOptions(), Media);
        Sequencer = new ShowSequencer(Engine, Slates, Rundown, Live, options);
        Sequencer.ScreenChanged += screen => _screens.Writer.TryWrite(screen);
        Sequencer.ScreenChanged += screen => Screens.Enqueue(screen);
    }

    public FakeMediaEngine Engine { get; } = new();

    public FakeSlates Slates { get; } = new();

    public LiveInfo Live { get; }

    public Rundown Rundown { get; }

    public ShowSequencer Sequencer { get; }

    /// <summary>Every screen reported so far.</summary>
    public ConcurrentQueue<OnScreen> Screens { get; } = new();

    /// <summary>Categories "Category 1" (id 101)… with entries numbered 1, 2, … across the show, video "cC/eN.mp4".</summary>
    public static PlayerShow Playlist(params int[] entriesPerCategory)
    {
        var categories = new List<PlaylistCategory>();
        var id = 0;
        for (var c = 0; c < entriesPerCategory.Length; c++)
        {
            var (categoryId, name) = (101 + c, $"Category {c + 1}");
            var entries = new List<PlaylistEntry>();
            for (var e = 0; e < entriesPerCategory[c]; e++)
            {
                id++;
                entries.Add(new PlaylistEntry(
                    new EntrySummary(id, categoryId, name, $"Entry {id}", [$"Editor {id}"], "Artist", "Song", ["Anime"], null), $"c{c + 1}/e{id}.mp4"));
            }

            categories.Add(new PlaylistCategory(categoryId, name, entries));
        }

        return new PlayerShow("Test Contest", Room, categories);
    }

    public static string VideoOf(int entryId, int category = 1) => Path.Combine(Media, $"c{category}/e{entryId}.mp4");

    /// <summary>The show's run: completes when the sequencer quits.</summary>
    public Task Running => _run;

    public ShowRig Start(ShowStart? start = null)
    {
        _run = Task.Run(() => Sequencer.RunAsync(start ?? new ShowStart(0)));
        return this;
    }

    /// <summary>The next item put on screen, checked against what the sequencer reported for it.</summary>
    public async Task<FakeMediaEngine.Playback> ExpectAsync(ShowPhase phase, int? entryId = null)
    {
        var playback = await Engine.NextAsync();
        var screen = await NextScreenAsync();
        Assert.Equal((phase, entryId), (screen.Phase, screen.Entry?.Id));
        return playback;
    }

    /// <summary>The next screen reported (also a pause or resume, which play nothing new).</summary>
    public Task<OnScreen> NextScreenAsync() => _screens.Reader.ReadAsync().AsTask().WaitAsync(HubTesting.Bound);

    public void Send(PlayerCommandKind kind, int? entryId = null) => Sequencer.Post(new PlayerCommand(Guid.NewGuid(), kind, entryId));

    /// <summary>Quits the show and waits for the loop to end (its failure, if any, surfaces here).</summary>
    public async ValueTask DisposeAsync()
    {
        Sequencer.Quit();
        await _run.WaitAsync(HubTesting.Bound);
    }
}
