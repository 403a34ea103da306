using System.Threading.Channels;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Player;

/// <summary>
/// An engine that plays nothing: each item is on screen at once (like libvlc's first picture) and stays until the test ends
/// it (<see cref="Playback.End"/>), the sequencer stops it, or the next item replaces it. A file in <see cref="Missing"/>
/// fails at once without reaching the screen, as libvlc does for a missing file. No clock, no sleeps.
/// </summary>
public sealed class FakeMediaEngine : IMediaEngine
{
    private readonly Channel<Playback> _played = Channel.CreateUnbounded<Playback>();
    private readonly Lock _lock = new();
    private Playback? _current;

    public sealed class Playback(MediaItem item)
    {
        private readonly TaskCompletionSource<PlaybackResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public MediaItem Item { get; } = item;

        public Task<PlaybackResult> Done => _done.Task;

        /// <summary>The item ends by itself (its time is up, the video reached its end) or fails.</summary>
        public void End(PlaybackEnd end = PlaybackEnd.Ended) => _done.TrySetResult(new PlaybackResult(end, end == PlaybackEnd.Failed ? "fake failure" : null));
    }

    /// <summary>Paths that fail at once.</summary>
    public HashSet<string> Missing { get; } = [];

    /// <summary>"pause" and "resume", in the order called.</summary>
    public List<string> Calls { get; } = [];

    public TimeSpan Position { get; set; }

    public TimeSpan? Length { get; set; }

    /// <summary>The next item the sequencer played, within the bound.</summary>
    public Task<Playback> NextAsync() => _played.Reader.ReadAsync().AsTask().WaitAsync(HubTesting.Bound);

    public Task<PlaybackResult> PlayAsync(MediaItem item, Action? onStarted = null, CancellationToken ct = default)
    {
        var playback = new Playback(item);
        lock (_lock)
        {
            _current?.End(PlaybackEnd.Stopped);
            _current = playback;
        }

        if (Missing.Contains(item.Path))
        {
            playback.End(PlaybackEnd.Failed);
        }
        else
        {
            onStarted?.Invoke();
        }

        _played.Writer.TryWrite(playback);
        return playback.Done;
    }

    public void Pause()
    {
        lock (_lock)
        {
            Calls.Add("pause");
        }
    }

    public void Resume()
    {
        lock (_lock)
        {
            Calls.Add("resume");
        }
    }

    public void Stop()
    {
        lock (_lock)
        {
            _current?.End(PlaybackEnd.Stopped);
        }
    }

    /// <summary>What the sequencer last set (null before it did).</summary>
    public PlayerAudio? Audio { get; private set; }

    public void SetAudio(PlayerAudio audio) => Audio = audio;

    public Task<MediaProbe> ProbeAsync(string path, CancellationToken ct = default) =>
        Task.FromResult(new MediaProbe(TimeSpan.FromMinutes(3), true, true, 1920, 1080, 25, null));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
