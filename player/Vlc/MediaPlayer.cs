using System.Threading.Channels;

namespace AmvScreening.Player.Vlc;

/// <summary>libvlc_state_t.</summary>
internal enum VLCState
{
    NothingSpecial = 0,
    Opening = 1,
    Buffering = 2,
    Playing = 3,
    Paused = 4,
    Stopped = 5,
    Ended = 6,
    Error = 7,
}

/// <summary>A libvlc media player: one output (window) that plays one media at a time.</summary>
internal sealed class MediaPlayer : IDisposable
{
    public MediaPlayer(LibVLC libVLC)
    {
        Handle = LibVlcNative.libvlc_media_player_new(libVLC.Handle);
        if (Handle.IsInvalid)
        {
            throw VlcException.FromLastError("Creating a media player");
        }
    }

    internal MediaPlayerHandle Handle { get; }

    /// <summary>The player keeps its own reference: the caller may dispose <paramref name="media"/> afterwards.</summary>
    public void SetMedia(Media media) => LibVlcNative.libvlc_media_player_set_media(Handle, media.Handle);

    /// <summary>Starts asynchronously (events follow); false when libvlc refused at once.</summary>
    public bool Play() => LibVlcNative.libvlc_media_player_play(Handle) == 0;

    /// <summary>Toggles pause.</summary>
    public void Pause() => LibVlcNative.libvlc_media_player_pause(Handle);

    public void SetPause(bool pause) => LibVlcNative.libvlc_media_player_set_pause(Handle, pause ? 1 : 0);

    /// <summary>Stops and waits for the input to be gone (libvlc 3). Never call it from an event callback.</summary>
    public void Stop() => LibVlcNative.libvlc_media_player_stop(Handle);

    /// <summary>Milliseconds into the media, or -1 when nothing plays.</summary>
    public long Time
    {
        get => LibVlcNative.libvlc_media_player_get_time(Handle);
        set => LibVlcNative.libvlc_media_player_set_time(Handle, value);
    }

    /// <summary>Milliseconds, or 0/-1 when not known (yet).</summary>
    public long Length => LibVlcNative.libvlc_media_player_get_length(Handle);

    public VLCState State => (VLCState)LibVlcNative.libvlc_media_player_get_state(Handle);

    /// <summary>Renders into an existing X11 window (set before the first Play).</summary>
    public void SetXWindow(uint window) => LibVlcNative.libvlc_media_player_set_xwindow(Handle, window);

    /// <summary>Renders into an existing Win32 window.</summary>
    public void SetHwnd(nint hwnd) => LibVlcNative.libvlc_media_player_set_hwnd(Handle, hwnd);

    /// <summary>Renders into an existing NSView (macOS).</summary>
    public void SetNsObject(nint nsView) => LibVlcNative.libvlc_media_player_set_nsobject(Handle, nsView);

    /// <summary>Whether libvlc's video output handles keys (off: they reach the window's owner).</summary>
    public void EnableKeyInput(bool enable) => LibVlcNative.libvlc_video_set_key_input(Handle, enable ? 1u : 0u);

    /// <summary>Whether libvlc's video output handles the mouse.</summary>
    public void EnableMouseInput(bool enable) => LibVlcNative.libvlc_video_set_mouse_input(Handle, enable ? 1u : 0u);

    /// <summary>Raises or lowers what plays by <paramref name="preampDb"/> (the equalizer's preamp, every band flat), for
    /// this media and the next ones; null takes the equalizer out (unity gain, nothing in the audio path).</summary>
    public void SetEqualizerPreamp(float? preampDb)
    {
        if (preampDb is not { } db)
        {
            LibVlcNative.libvlc_media_player_set_equalizer(Handle, 0);
            return;
        }

        var equalizer = LibVlcNative.libvlc_audio_equalizer_new();
        if (equalizer == 0)
        {
            throw new VlcException("libvlc could not make an equalizer (out of memory).");
        }

        try
        {
            if (LibVlcNative.libvlc_audio_equalizer_set_preamp(equalizer, db) != 0 || LibVlcNative.libvlc_media_player_set_equalizer(Handle, equalizer) != 0)
            {
                throw VlcException.FromLastError($"Setting the equalizer's preamp to {db} dB");
            }
        }
        finally
        {
            LibVlcNative.libvlc_audio_equalizer_release(equalizer);
        }
    }

    /// <summary>The audio output's volume in percent (100 = unity); false when the output has no volume control (the
    /// dummy one; the audio callbacks get the sound before it).</summary>
    public bool SetVolume(int percent) => LibVlcNative.libvlc_audio_set_volume(Handle, percent) == 0;

    public void SetMute(bool mute) => LibVlcNative.libvlc_audio_set_mute(Handle, mute ? 1 : 0);

    /// <summary>The devices the player's audio output offers (their ids), possibly none.</summary>
    public unsafe IReadOnlyList<string> AudioOutputDevices()
    {
        var list = LibVlcNative.libvlc_audio_output_device_enum(Handle);
        var devices = new List<string>();
        try
        {
            for (var device = list; device != null; device = device->Next)
            {
                devices.Add(System.Runtime.InteropServices.Marshal.PtrToStringUTF8(device->Device) ?? "");
            }
        }
        finally
        {
            if (list != null)
            {
                LibVlcNative.libvlc_audio_output_device_list_release(list);
            }
        }

        return devices;
    }

    /// <summary>Writes each event of <paramref name="types"/> into <paramref name="writer"/> until disposed.</summary>
    internal EventSubscription Subscribe(ChannelWriter<VlcEventType> writer, params VlcEventType[] types) =>
        new(Handle, LibVlcNative.libvlc_media_player_event_manager(Handle), writer, types);

    public void Dispose() => Handle.Dispose();
}
