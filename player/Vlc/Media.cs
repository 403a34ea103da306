using System.Threading.Channels;

namespace AmvScreening.Player.Vlc;

/// <summary>libvlc_media_parsed_status_t (None: parsing not asked for or not finished).</summary>
internal enum MediaParsedStatus
{
    None = 0,
    Skipped = 1,
    Failed = 2,
    Timeout = 3,
    Done = 4,
}

/// <summary>libvlc_track_type_t.</summary>
internal enum TrackType
{
    Unknown = -1,
    Audio = 0,
    Video = 1,
    Text = 2,
}

/// <summary>What the player reads of an elementary stream; the video fields are 0 for other tracks.</summary>
internal readonly record struct MediaTrack(TrackType Type, uint Width, uint Height, uint FrameRateNum, uint FrameRateDen);

/// <summary>A local file for libvlc, with its per-item options (":start-time=…").</summary>
internal sealed class Media : IDisposable
{
    private const int ParseLocal = 0; // libvlc_media_parse_local: parse local files only, fetch nothing

    public Media(LibVLC libVLC, string path)
    {
        Handle = LibVlcNative.libvlc_media_new_path(libVLC.Handle, path);
        if (Handle.IsInvalid)
        {
            throw VlcException.FromLastError($"Opening {path}");
        }
    }

    internal MediaHandle Handle { get; }

    public void AddOption(string option) => LibVlcNative.libvlc_media_add_option(Handle, option);

    /// <summary>Milliseconds, or -1 when unknown.</summary>
    public long Duration => LibVlcNative.libvlc_media_get_duration(Handle);

    public MediaParsedStatus ParsedStatus => (MediaParsedStatus)LibVlcNative.libvlc_media_get_parsed_status(Handle);

    /// <summary>Parses the file on libvlc's preparser thread; completes when libvlc reports the end (or gives up
    /// at <paramref name="timeout"/>, then a little later if libvlc stays silent).</summary>
    public async Task<MediaParsedStatus> ParseAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var events = Channel.CreateUnbounded<VlcEventType>(new UnboundedChannelOptions { AllowSynchronousContinuations = false });
        using (new EventSubscription(Handle, LibVlcNative.libvlc_media_event_manager(Handle), events.Writer, [VlcEventType.MediaParsedChanged]))
        {
            if (LibVlcNative.libvlc_media_parse_with_options(Handle, ParseLocal, (int)timeout.TotalMilliseconds) != 0)
            {
                throw VlcException.FromLastError("Parsing");
            }

            try
            {
                await events.Reader.ReadAsync(ct).AsTask().WaitAsync(timeout + TimeSpan.FromSeconds(5), ct);
            }
            catch (TimeoutException)
            {
                // Reported as the status libvlc has now (None): the caller treats anything but Done as unreadable.
            }
        }

        return ParsedStatus;
    }

    /// <summary>The elementary streams found by parsing or playing.</summary>
    public unsafe IReadOnlyList<MediaTrack> Tracks
    {
        get
        {
            var count = LibVlcNative.libvlc_media_tracks_get(Handle, out var tracks);
            try
            {
                var result = new MediaTrack[count];
                for (var i = 0; i < count; i++)
                {
                    var track = tracks[i];
                    var type = (TrackType)track->Type;
                    result[i] = type == TrackType.Video && track->Video != null
                        ? new MediaTrack(type, track->Video->Width, track->Video->Height, track->Video->FrameRateNum, track->Video->FrameRateDen)
                        : new MediaTrack(type, 0, 0, 0, 0);
                }

                return result;
            }
            finally
            {
                if (count > 0)
                {
                    LibVlcNative.libvlc_media_tracks_release(tracks, count);
                }
            }
        }
    }

    public void Dispose() => Handle.Dispose();
}
