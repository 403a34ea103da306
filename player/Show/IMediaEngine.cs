using AmvScreening.Protocol;

namespace AmvScreening.Player.Show;

/// <summary>Something to put on screen: a video, or a still (an SVG/PNG slate) shown for <paramref name="StillFor"/>.</summary>
/// <param name="StartAt">Where to start a video (resuming after a crash or a blackout).</param>
/// <param name="GainDb">How much to raise (or lower) its sound, dB: the levelling gain (<see cref="Levelling"/>); 0
/// plays it as it is.</param>
public sealed record MediaItem(string Path, TimeSpan? StillFor = null, TimeSpan StartAt = default, double GainDb = 0);

public enum PlaybackEnd
{
    /// <summary>Played to its end (a still: its time is up).</summary>
    Ended,
    /// <summary>Could not play: missing, unreadable or undecodable file.</summary>
    Failed,
    /// <summary>Stopped by <see cref="IMediaEngine.Stop"/> or by the next <see cref="IMediaEngine.PlayAsync"/>.</summary>
    Stopped,
}

public sealed record PlaybackResult(PlaybackEnd End, string? Error = null);

/// <summary>What the pre-flight check learns of a file.</summary>
public sealed record MediaProbe(
    TimeSpan? Duration, bool HasVideo, bool HasAudio, int? Width, int? Height, double? FrameRate, string? Error);

/// <summary>
/// Plays one item at a time on the screen (or headless). Implemented with libvlc (Vlc/VlcEngine) and, in fast unit
/// tests of the sequencer, by a fake. Calls may come from any thread; none may come from inside a libvlc callback.
/// </summary>
public interface IMediaEngine : IAsyncDisposable
{
    /// <summary>Plays <paramref name="item"/>, replacing whatever plays. <paramref name="onStarted"/> runs once the
    /// item's picture is on screen (libvlc's Vout, not Playing: a damaged file "plays" without ever showing). The task
    /// completes when the item ends by itself, fails, or is stopped.</summary>
    Task<PlaybackResult> PlayAsync(MediaItem item, Action? onStarted = null, CancellationToken ct = default);

    void Pause();

    void Resume();

    /// <summary>Stops the current item (its PlayAsync completes with <see cref="PlaybackEnd.Stopped"/>).</summary>
    void Stop();

    /// <summary>Position in the current item.</summary>
    TimeSpan Position { get; }

    /// <summary>Length of the current item, once known.</summary>
    TimeSpan? Length { get; }

    /// <summary>The master volume, for this item and every later one until set again.</summary>
    void SetAudio(PlayerAudio audio);

    /// <summary>Opens and parses a file without showing it (pre-flight).</summary>
    Task<MediaProbe> ProbeAsync(string path, CancellationToken ct = default);
}
