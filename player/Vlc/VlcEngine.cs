using System.Globalization;
using System.Text;
using System.Threading.Channels;
using AmvScreening.Player.Screen;
using AmvScreening.Player.Show;
using AmvScreening.Protocol;

namespace AmvScreening.Player.Vlc;

/// <summary>Where and how <see cref="VlcEngine"/> shows things. Give at most one of Headless, XWindow, Hwnd, NsView;
/// none of them: libvlc opens a window of its own for each item (fine on a desk, not on the projector).</summary>
public sealed record VlcEngineOptions
{
    /// <summary>No window, no sound (<c>--vout=dummy --aout=dummy</c>), real decoding, timing and events: tests and
    /// <c>--headless</c>.</summary>
    public bool Headless { get; init; }

    /// <summary>An X11 window to render into, the player's own fullscreen window, for the engine's whole life.
    /// libvlc's key and mouse handling are turned off so input reaches that window's owner.</summary>
    public uint? XWindow { get; init; }

    /// <summary>The same on Windows (an HWND).</summary>
    public nint? Hwnd { get; init; }

    /// <summary>The same on macOS (an NSView).</summary>
    public nint? NsView { get; init; }

    /// <summary>Plays without sound (rehearsals): <c>--no-audio</c>, no audio track is decoded.</summary>
    public bool Muted { get; init; }

    /// <summary>Records the show's sound to this WAV file (<see cref="WavRecorder"/>) instead of a sound card: tests and
    /// rehearsal recordings. Headless or not.</summary>
    public string? AudioOut { get; init; }

    /// <summary>No sound card to play on: sound goes to libvlc's dummy output (silence, no error per buffer).</summary>
    public bool NoAudioDevice { get; init; }

    /// <summary>How long <see cref="VlcEngine.ProbeAsync"/> lets libvlc parse a file.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>These options drawing into <paramref name="screen"/>'s native window (not headless), e.g.
    /// <c>new VlcEngine(new VlcEngineOptions { Muted = true }.DrawingInto(screen))</c>.</summary>
    public VlcEngineOptions DrawingInto(IScreen screen) =>
        this with { Headless = false, XWindow = screen.XWindow, Hwnd = screen.Hwnd, NsView = screen.NsView };
}

/// <summary>
/// The media engine on libvlc: one libvlc instance and one media player for the engine's whole life, so the output
/// (the window) stays up from item to item. Every libvlc call is made under one lock and never from a libvlc callback:
/// each item gets a channel that the player's events are written into, read by the <see cref="PlayAsync"/> that
/// waits for them.
/// </summary>
/// <remarks>
/// How an item ends:
/// <list type="bullet">
/// <item><see cref="PlaybackEnd.Ended"/>: libvlc's EndReached after a picture was shown (a still: its time is up).</item>
/// <item><see cref="PlaybackEnd.Failed"/>: the file is missing or cannot be opened (checked before libvlc sees it);
/// an SVG still lacks the <c>&lt;?xml version="</c> start libvlc needs; libvlc's EncounteredError; or EndReached
/// before any picture was shown. libvlc "plays" a file it cannot read (random bytes named .mp4) as Playing and then
/// EndReached at once, with no video output ever created: no picture, so Failed. (An audio-only file fails the
/// same way: the player is for pictures.)</item>
/// <item><see cref="PlaybackEnd.Stopped"/>: <see cref="Stop"/>, the next <see cref="PlayAsync"/>, or
/// <see cref="DisposeAsync"/>. Cancelling PlayAsync's token stops the item too, and PlayAsync then throws
/// <see cref="OperationCanceledException"/>.</item>
/// </list>
/// A still is a <see cref="MediaItem"/> with <see cref="MediaItem.StillFor"/> (an SVG or PNG slate, played with
/// <c>:demux=image :image-duration=…</c>); <see cref="Timeout.InfiniteTimeSpan"/> shows it until stopped.
/// </remarks>
public sealed class VlcEngine : IMediaEngine
{
    private static readonly VlcEventType[] PlayerEvents =
    [
        VlcEventType.MediaPlayerPlaying, VlcEventType.MediaPlayerVout, VlcEventType.MediaPlayerEndReached,
        VlcEventType.MediaPlayerEncounteredError, VlcEventType.MediaPlayerStopped,
    ];

    private static readonly PlaybackResult StoppedResult = new(PlaybackEnd.Stopped);

    private readonly Lock _gate = new();
    private readonly VlcEngineOptions _options;
    private readonly LibVLC _libVLC;
    private readonly MediaPlayer _player;
    private Playback? _current;
    private readonly WavRecorder? _recorder;
    private PlayerAudio _audio = PlayerAudio.Default;
    private bool _disposed;

    /// <exception cref="VlcException">libvlc cannot be loaded (the message says what to install) or started.</exception>
    public VlcEngine(VlcEngineOptions? options = null)
    {
        _options = options ?? new VlcEngineOptions();
        var outputs = new object?[] { _options.XWindow, _options.Hwnd, _options.NsView }.Count(o => o is not null);
        if (outputs + (_options.Headless ? 1 : 0) > 1)
        {
            throw new ArgumentException("Give at most one of Headless, XWindow, Hwnd and NsView.", nameof(options));
        }

        _libVLC = new LibVLC(LibVlcOptions(_options));
        try
        {
            _player = new MediaPlayer(_libVLC);
            if (outputs > 0)
            {
                // Set once, before the first item: libvlc then renders every item into the same window.
                if (_options.XWindow is { } xWindow)
                {
                    _player.SetXWindow(xWindow);
                }
                else if (_options.Hwnd is { } hwnd)
                {
                    _player.SetHwnd(hwnd);
                }
                else if (_options.NsView is { } nsView)
                {
                    _player.SetNsObject(nsView);
                }

                _player.EnableKeyInput(false);
                _player.EnableMouseInput(false);
            }

            if (_options.AudioOut is { } wav)
            {
                _recorder = new WavRecorder(wav);
                _recorder.Attach(_player);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _player?.Dispose();
            _libVLC.Dispose();
            throw new VlcException($"--audio-out: cannot write {_options.AudioOut}: {e.Message}");
        }
        catch
        {
            _player?.Dispose();
            _libVLC.Dispose();
            throw;
        }
    }

    /// <summary>The devices libvlc's default audio output offers on this machine (its ids), without playing anything.</summary>
    /// <exception cref="VlcException">libvlc cannot be loaded or started.</exception>
    public static IReadOnlyList<string> AudioDevices()
    {
        using var libVLC = new LibVLC("--quiet", "--vout=dummy");
        using var player = new MediaPlayer(libVLC);
        return player.AudioOutputDevices();
    }

    /// <summary>Whether <paramref name="devices"/> (<see cref="AudioDevices"/>) hold a sound device: ALSA offers "null"
    /// and "default" even without a sound card (and then fails on every buffer); a real card or sound server adds its
    /// own devices.</summary>
    public static bool HasSoundDevice(IEnumerable<string> devices) =>
        devices.Any(d => !string.IsNullOrWhiteSpace(d) && d is not ("null" or "default"));

    /// <summary>The libvlc_new options for <paramref name="options"/>.</summary>
    internal static string[] LibVlcOptions(VlcEngineOptions options)
    {
        List<string> args = ["--no-video-title-show", "--no-osd", "--quiet"];
        if (options.Headless)
        {
            args.Add("--vout=dummy");
        }

        // With --audio-out the sound goes to the recorder's callbacks, whatever the output.
        if (options.AudioOut is null && (options.Headless || options.NoAudioDevice))
        {
            args.Add("--aout=dummy");
        }

        // Levelling goes through the equalizer's preamp (PreampFor), filtering twice to reach a boost of +15.9 dB.
        args.Add("--equalizer-2pass");

        if (options.Muted)
        {
            args.Add("--no-audio");
        }

        return [.. args];
    }

    /// <summary>The media options for <paramref name="item"/>.</summary>
    internal static IEnumerable<string> MediaOptions(MediaItem item)
    {
        if (item.StillFor is { } still)
        {
            var seconds = still == Timeout.InfiniteTimeSpan ? -1 : still.TotalSeconds;
            yield return ":demux=image";
            yield return $":image-duration={seconds.ToString(CultureInfo.InvariantCulture)}";
        }
        else if (item.StartAt > TimeSpan.Zero)
        {
            yield return $":start-time={item.StartAt.TotalSeconds.ToString(CultureInfo.InvariantCulture)}";
        }
    }

    /// <inheritdoc/>
    /// <remarks><paramref name="onStarted"/> runs on the thread that awaits the events (the caller's synchronization
    /// context, or the thread pool), never on a libvlc thread: it may call the engine.</remarks>
    public async Task<PlaybackResult> PlayAsync(MediaItem item, Action? onStarted = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.StillFor is { } still && still <= TimeSpan.Zero && still != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(item), still, "StillFor must be positive, or Timeout.InfiniteTimeSpan (until stopped).");
        }

        ct.ThrowIfCancellationRequested();
        var playback = Start(item);
        try
        {
            using var cancel = ct.Register(() => Finish(playback, StoppedResult, stop: true));
            var shown = false;
            await foreach (var type in playback.Events.Reader.ReadAllAsync(CancellationToken.None))
            {
                switch (type)
                {
                    // On screen once a video output shows its picture, not at Playing: libvlc "plays" a damaged file
                    // (Playing, then EndReached) without ever showing it, and such an item must never count as shown.
                    case VlcEventType.MediaPlayerVout when !shown && playback.Result is null:
                        shown = true;
                        onStarted?.Invoke();
                        break;
                    case VlcEventType.MediaPlayerEndReached when shown:
                        Finish(playback, new PlaybackResult(PlaybackEnd.Ended), stop: false);
                        break;
                    case VlcEventType.MediaPlayerEndReached:
                        // What libvlc does with a file it cannot read: Playing, then EndReached, no video output.
                        Finish(playback, Failed($"libvlc found no picture to show in {playback.Path} (damaged, or not a video or image)."), stop: false);
                        break;
                    case VlcEventType.MediaPlayerEncounteredError:
                        Finish(playback, Failed($"libvlc could not play {playback.Path} (unreadable, damaged or unsupported)."), stop: false);
                        break;
                    case VlcEventType.MediaPlayerStopped:
                        Finish(playback, StoppedResult, stop: false);
                        break;
                }
            }
        }
        finally
        {
            // Normally a no-op; after an exception (e.g. from onStarted) nothing is left playing unawaited.
            Finish(playback, StoppedResult, stop: true);
        }

        var result = playback.Result!;
        if (result.End == PlaybackEnd.Stopped)
        {
            ct.ThrowIfCancellationRequested();
        }

        return result;
    }

    /// <inheritdoc/>
    /// <remarks>libvlc's own volume and mute (a sound card's output applies them), set again as each item starts; with
    /// <see cref="VlcEngineOptions.AudioOut"/> the recorder applies them.</remarks>
    public void SetAudio(PlayerAudio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        lock (_gate)
        {
            _audio = audio;
            if (!_disposed)
            {
                ApplyAudioLocked();
            }
        }
    }

    private void ApplyAudioLocked()
    {
        _player.SetVolume(_audio.VolumePercent);
        _player.SetMute(_audio.Muted);
        _recorder?.SetVolume(_audio.VolumePercent, _audio.Muted); // libvlc's callbacks get the sound before its volume
    }

    public void Pause() => WithCurrent(() => _player.SetPause(true));

    public void Resume() => WithCurrent(() => _player.SetPause(false));

    public void Stop()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_current is { Result: null } current)
            {
                FinishLocked(current, StoppedResult, stop: true);
            }
            else
            {
                _player.Stop(); // takes an ended item's last picture off the screen
            }
        }
    }

    public TimeSpan Position
    {
        get
        {
            lock (_gate)
            {
                if (_disposed || _current is null)
                {
                    return TimeSpan.Zero;
                }

                var ms = _player.Time;
                return ms > 0 ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;
            }
        }
    }

    public TimeSpan? Length
    {
        get
        {
            lock (_gate)
            {
                if (_disposed || _current is null)
                {
                    return null;
                }

                if (_current.Result is null)
                {
                    RememberLengthLocked(_current);
                }

                return _current.Length;
            }
        }
    }

    public async Task<MediaProbe> ProbeAsync(string path, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fullPath = Path.GetFullPath(path);
        if (CannotOpen(fullPath) is { } problem)
        {
            return Unreadable(problem);
        }

        try
        {
            using var media = new Media(_libVLC, fullPath);
            var status = await media.ParseAsync(_options.ProbeTimeout, ct);
            if (status != MediaParsedStatus.Done)
            {
                return Unreadable($"libvlc could not read {fullPath} (parsing: {status}).");
            }

            var tracks = media.Tracks;
            var video = tracks.Where(t => t.Type == TrackType.Video).Select(t => (MediaTrack?)t).FirstOrDefault();
            var hasAudio = tracks.Any(t => t.Type == TrackType.Audio);
            if (video is null && !hasAudio)
            {
                return Unreadable($"libvlc found no audio or video in {fullPath} (damaged, or not a media file).");
            }

            var duration = media.Duration;
            return new MediaProbe(
                duration > 0 ? TimeSpan.FromMilliseconds(duration) : null,
                HasVideo: video is not null,
                HasAudio: hasAudio,
                Width: video?.Width > 0 ? (int)video.Value.Width : null,
                Height: video?.Height > 0 ? (int)video.Value.Height : null,
                FrameRate: video is { FrameRateNum: > 0, FrameRateDen: > 0 } v ? (double)v.FrameRateNum / v.FrameRateDen : null,
                Error: null);
        }
        catch (VlcException e)
        {
            return Unreadable($"libvlc could not read {fullPath}: {e.Message}");
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            if (_current is { Result: null } current)
            {
                FinishLocked(current, StoppedResult, stop: true);
            }
            else
            {
                _player.Stop();
            }

            _player.Dispose();
            _recorder?.Dispose(); // libvlc calls back no more
            _libVLC.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Ends the previous item (Stopped) and starts <paramref name="item"/>, or finishes it as Failed at once.</summary>
    private Playback Start(MediaItem item)
    {
        var playback = new Playback(Path.GetFullPath(item.Path));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // The player itself is not stopped: set_media replaces its input and keeps the video output, so nothing
            // flashes between items.
            if (_current is { Result: null } previous)
            {
                FinishLocked(previous, StoppedResult, stop: false);
            }

            _current = playback;
            var problem = CannotOpen(playback.Path) ?? (item.StillFor is null ? null : NotAStill(playback.Path));
            if (problem is not null)
            {
                _player.Stop(); // the previous item does not go on playing behind the failure
                FinishLocked(playback, Failed(problem), stop: false);
                return playback;
            }

            try
            {
                using var media = new Media(_libVLC, playback.Path);
                foreach (var option in MediaOptions(item))
                {
                    media.AddOption(option);
                }

                _player.SetMedia(media);
                _player.SetEqualizerPreamp(item.GainDb == 0 ? null : PreampFor(item.GainDb));
                playback.Subscription = _player.Subscribe(playback.Events.Writer, PlayerEvents);
                if (!_player.Play())
                {
                    throw VlcException.FromLastError($"Playing {playback.Path}");
                }

                ApplyAudioLocked();
            }
            catch (VlcException e)
            {
                FinishLocked(playback, Failed(e.Message), stop: true);
            }
        }

        return playback;
    }

    private void WithCurrent(Action action)
    {
        lock (_gate)
        {
            if (!_disposed && _current is { Result: null })
            {
                action();
            }
        }
    }

    private void Finish(Playback playback, PlaybackResult result, bool stop)
    {
        lock (_gate)
        {
            FinishLocked(playback, result, stop);
        }
    }

    /// <summary>Settles <paramref name="playback"/> once: no more events for it, its PlayAsync returns.</summary>
    private void FinishLocked(Playback playback, PlaybackResult result, bool stop)
    {
        if (playback.Result is not null)
        {
            return;
        }

        playback.Result = result;
        if (playback == _current && !_disposed)
        {
            RememberLengthLocked(playback);
            if (stop)
            {
                _player.Stop();
            }
        }

        playback.Subscription?.Dispose();
        playback.Events.Writer.TryComplete();
    }

    private void RememberLengthLocked(Playback playback)
    {
        var ms = _player.Length;
        if (ms > 0)
        {
            playback.Length = TimeSpan.FromMilliseconds(ms);
        }
    }

    /// <summary>Why <paramref name="path"/> cannot be opened, or null: said plainly, before libvlc tries.</summary>
    private static string? CannotOpen(string path)
    {
        if (Directory.Exists(path))
        {
            return $"{path} is a folder, not a media file.";
        }

        if (!File.Exists(path))
        {
            return $"File not found: {path}";
        }

        try
        {
            using var _ = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"Cannot open {path}: {e.Message}";
        }
    }

    /// <summary>
    /// Why libvlc would refuse <paramref name="path"/> as a still, or null. Its image demuxer takes an SVG only when the
    /// path contains ".svg" (lower case) and the file begins exactly with <c>&lt;?xml version="</c> (double quote, no
    /// byte-order mark) with <c>&lt;svg</c> in its first 4096 bytes; otherwise it raises an unexplained error.
    /// </summary>
    private static string? NotAStill(string path)
    {
        if (!Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        const string Hint = "libvlc shows an SVG slate only from a file named *.svg (lower case) that begins with " +
                            "<?xml version=\"1.0\"?> (double quotes, no byte-order mark)";
        if (!path.Contains(".svg", StringComparison.Ordinal))
        {
            return $"{path}: {Hint}.";
        }

        string text;
        try
        {
            using var file = File.OpenRead(path);
            var head = new byte[4096];
            text = Encoding.UTF8.GetString(head, 0, file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"Cannot read {path}: {e.Message}";
        }

        return text.StartsWith("<?xml version=\"", StringComparison.Ordinal) && text.Contains("<svg", StringComparison.Ordinal)
            ? null
            : $"{path}: {Hint}, with <svg in its first 4096 bytes.";
    }

    /// <summary>The equalizer's preamp (libvlc clamps it to ±20) that changes the sound by <paramref name="gainDb"/>.
    /// libvlc's equalizer scales its input by a quarter (-12.04 dB) and the preamp's gain, once per pass: with two
    /// passes (<c>--equalizer-2pass</c>) and every band flat, the sound changes by 2 × (preamp − 12.04) dB, measured
    /// so on libvlc 3.0.</summary>
    internal static float PreampFor(double gainDb) =>
        (float)Math.Clamp(EqualizerUnityPreampDb + Math.Clamp(gainDb, -Levelling.MaxCutDb, Levelling.MaxBoostDb) / 2, -20, 20);

    /// <summary>20 log10(4): the preamp at which libvlc's equalizer leaves the sound as it is.</summary>
    internal const double EqualizerUnityPreampDb = 12.0412;

    private static PlaybackResult Failed(string error) => new(PlaybackEnd.Failed, error);

    private static MediaProbe Unreadable(string error) => new(null, false, false, null, null, null, error);

    /// <summary>One PlayAsync: its events, and how it ended (set once, under the lock).</summary>
    private sealed class Playback(string path)
    {
        public string Path { get; } = path;

        public Channel<VlcEventType> Events { get; } = Channel.CreateUnbounded<VlcEventType>(
            new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

        public EventSubscription? Subscription { get; set; }

        public TimeSpan? Length { get; set; }

        public PlaybackResult? Result { get; set; }
    }
}
