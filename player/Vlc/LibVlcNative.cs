using System.Reflection;
using System.Runtime.InteropServices;

namespace AmvScreening.Player.Vlc;

/// <summary>
/// The part of the libvlc 3 C API the player uses, under its C names. Everything else in Vlc/ goes through the
/// wrappers (<see cref="LibVLC"/>, <see cref="Media"/>, <see cref="MediaPlayer"/>), so a later switch to LibVLCSharp
/// replaces this folder and nothing else.
/// </summary>
internal static unsafe partial class LibVlcNative
{
    /// <summary>The name the imports use; <see cref="Resolve"/> maps it to the file of each OS.</summary>
    public const string Library = "libvlc";

    /// <summary>What to install when libvlc is missing, per OS.</summary>
    public const string InstallHint =
        "On Debian/Ubuntu install the packages libvlc5 vlc-plugin-base vlc-plugin-video-output vlc-plugin-svg " +
        "(./amv installs them); on Windows install VLC 3 (64-bit) or set AMV_VLC_DIR to the folder holding libvlc.dll; " +
        "on macOS install VLC.app in /Applications.";

    private static readonly Lazy<(nint Handle, string[] Tried)> Loaded = new(Load);

    static LibVlcNative()
    {
        var assembly = typeof(LibVlcNative).Assembly;
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // Another binding in this assembly (e.g. SDL) set the one resolver an assembly may have: be asked last.
            System.Runtime.Loader.AssemblyLoadContext.Default.ResolvingUnmanagedDll +=
                (from, name) => from == assembly ? Resolve(name, from, null) : 0;
        }
    }

    /// <summary>Loads libvlc now, or throws a <see cref="VlcException"/> saying what to install.</summary>
    public static void EnsureLoaded()
    {
        if (Loaded.Value.Handle == 0)
        {
            throw new VlcException($"libvlc could not be loaded (tried {string.Join(", ", Loaded.Value.Tried)}). {InstallHint}");
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == Library ? Loaded.Value.Handle : 0;

    private static (nint, string[]) Load()
    {
        var candidates = Candidates().ToArray();
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return (handle, candidates);
            }
        }

        return (0, candidates);
    }

    private static IEnumerable<string> Candidates()
    {
        var dir = Environment.GetEnvironmentVariable("AMV_VLC_DIR");
        if (OperatingSystem.IsWindows())
        {
            if (!string.IsNullOrEmpty(dir)) yield return Path.Combine(dir, "libvlc.dll");
            foreach (var programFiles in new[] { Environment.SpecialFolder.ProgramFiles, Environment.SpecialFolder.ProgramFilesX86 })
            {
                yield return Path.Combine(Environment.GetFolderPath(programFiles), "VideoLAN", "VLC", "libvlc.dll");
            }

            yield return "libvlc.dll";
        }
        else if (OperatingSystem.IsMacOS())
        {
            if (!string.IsNullOrEmpty(dir)) yield return Path.Combine(dir, "libvlc.dylib");
            yield return "/Applications/VLC.app/Contents/MacOS/lib/libvlc.dylib";
            yield return "libvlc.dylib";
        }
        else
        {
            if (!string.IsNullOrEmpty(dir)) yield return Path.Combine(dir, "libvlc.so.5");
            yield return "libvlc.so.5"; // the runtime package (libvlc5) has only this name
            yield return "libvlc.so";   // libvlc-dev's link
        }
    }

    // --- Instance ---------------------------------------------------------------------------------------------------

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial LibVlcHandle libvlc_new(int argc, string[] argv);

    [LibraryImport(Library)]
    public static partial void libvlc_release(nint instance);

    /// <summary>A thread-local message owned by libvlc (never freed here), or null.</summary>
    [LibraryImport(Library)]
    public static partial nint libvlc_errmsg();

    // --- Media ------------------------------------------------------------------------------------------------------

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial MediaHandle libvlc_media_new_path(LibVlcHandle instance, string path);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void libvlc_media_add_option(MediaHandle media, string option);

    [LibraryImport(Library)]
    public static partial void libvlc_media_release(nint media);

    /// <summary>Starts parsing in the background; the end is signalled by libvlc_MediaParsedChanged. 0 on success.</summary>
    [LibraryImport(Library)]
    public static partial int libvlc_media_parse_with_options(MediaHandle media, int parseFlags, int timeoutMs);

    [LibraryImport(Library)]
    public static partial int libvlc_media_get_parsed_status(MediaHandle media);

    /// <summary>Milliseconds, or -1 when unknown.</summary>
    [LibraryImport(Library)]
    public static partial long libvlc_media_get_duration(MediaHandle media);

    [LibraryImport(Library)]
    public static partial uint libvlc_media_tracks_get(MediaHandle media, out NativeTrack** tracks);

    [LibraryImport(Library)]
    public static partial void libvlc_media_tracks_release(NativeTrack** tracks, uint count);

    [LibraryImport(Library)]
    public static partial nint libvlc_media_event_manager(MediaHandle media);

    // --- Media player -----------------------------------------------------------------------------------------------

    [LibraryImport(Library)]
    public static partial MediaPlayerHandle libvlc_media_player_new(LibVlcHandle instance);

    [LibraryImport(Library)]
    public static partial void libvlc_media_player_release(nint player);

    [LibraryImport(Library)]
    public static partial void libvlc_media_player_set_media(MediaPlayerHandle player, MediaHandle media);

    [LibraryImport(Library)]
    public static partial int libvlc_media_player_play(MediaPlayerHandle player);

    [LibraryImport(Library)]
    public static partial void libvlc_media_player_pause(MediaPlayerHandle player);

    [LibraryImport(Library)]
    public static partial void libvlc_media_player_set_pause(MediaPlayerHandle player, int doPause);

    /// <summary>Synchronous in libvlc 3: returns once the input thread is gone.</summary>
    [LibraryImport(Library)]
    public static partial void libvlc_media_player_stop(MediaPlayerHandle player);

    [LibraryImport(Library)]
    public static partial long libvlc_media_player_get_time(MediaPlayerHandle player);

    [LibraryImport(Library)]
    public static partial void libvlc_media_player_set_time(MediaPlayerHandle player, long timeMs);

    [LibraryImport(Library)]
    public static partial long libvlc_media_player_get_length(MediaPlayerHandle player);

    [LibraryImport(Library)]
    public static partial int libvlc_media_player_get_state(MediaPlayerHandle player);

    [LibraryImport(Library)]
    public static partial void libvlc_media_player_set_xwindow(MediaPlayerHandle player, uint drawable);

    [LibraryImport(Library)]
    public static partial void libvlc_media_player_set_hwnd(MediaPlayerHandle player, nint hwnd);

    [LibraryImport(Library)]
    public static partial void libvlc_media_player_set_nsobject(MediaPlayerHandle player, nint nsView);

    [LibraryImport(Library)]
    public static partial void libvlc_video_set_key_input(MediaPlayerHandle player, uint on);

    [LibraryImport(Library)]
    public static partial void libvlc_video_set_mouse_input(MediaPlayerHandle player, uint on);

    [LibraryImport(Library)]
    public static partial nint libvlc_media_player_event_manager(MediaPlayerHandle player);

    // --- Audio ------------------------------------------------------------------------------------------------------

    /// <summary>A new equalizer: every band and the preamp at 0 dB. Null when out of memory.</summary>
    [LibraryImport(Library)]
    public static partial nint libvlc_audio_equalizer_new();

    [LibraryImport(Library)]
    public static partial void libvlc_audio_equalizer_release(nint equalizer);

    /// <summary>dB, -20…20. 0 on success.</summary>
    [LibraryImport(Library)]
    public static partial int libvlc_audio_equalizer_set_preamp(nint equalizer, float preamp);

    /// <summary>Copies the equalizer's settings into the player (for this and later media); null turns it off. 0 on success.</summary>
    [LibraryImport(Library)]
    public static partial int libvlc_media_player_set_equalizer(MediaPlayerHandle player, nint equalizer);

    /// <summary>Percent (100 = unity). 0 on success, -1 when the audio output cannot take it.</summary>
    [LibraryImport(Library)]
    public static partial int libvlc_audio_set_volume(MediaPlayerHandle player, int volume);

    [LibraryImport(Library)]
    public static partial void libvlc_audio_set_mute(MediaPlayerHandle player, int mute);

    /// <summary>The devices of the player's audio output, as a list (free with the release below), or null.</summary>
    [LibraryImport(Library)]
    public static partial NativeAudioDevice* libvlc_audio_output_device_enum(MediaPlayerHandle player);

    [LibraryImport(Library)]
    public static partial void libvlc_audio_output_device_list_release(NativeAudioDevice* list);

    /// <summary>Hands the decoded sound to <paramref name="play"/> instead of an audio output (libvlc's amem): for this
    /// and every later media. The other callbacks may be null.</summary>
    [LibraryImport(Library)]
    public static partial void libvlc_audio_set_callbacks(
        MediaPlayerHandle player, delegate* unmanaged<nint, nint, uint, long, void> play, nint pause, nint resume, nint flush, nint drain, nint userData);

    /// <summary>The sample format the callbacks get ("S16N": signed 16-bit, native order), resampled by libvlc.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void libvlc_audio_set_format(MediaPlayerHandle player, string format, uint rate, uint channels);

    // --- Events -----------------------------------------------------------------------------------------------------

    /// <summary>0 on success.</summary>
    [LibraryImport(Library)]
    public static partial int libvlc_event_attach(
        nint eventManager, int eventType, delegate* unmanaged<NativeEvent*, nint, void> callback, nint userData);

    [LibraryImport(Library)]
    public static partial void libvlc_event_detach(
        nint eventManager, int eventType, delegate* unmanaged<NativeEvent*, nint, void> callback, nint userData);

    // --- Structures (libvlc 3, 64- and 32-bit layouts follow from sequential layout) ---------------------------------

    /// <summary>The head of libvlc_event_t: the type, then the sender (the union after it is not read).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct NativeEvent
    {
        public int Type;
        public nint Sender;
    }

    /// <summary>libvlc_audio_output_device_t: a linked list of device ids and descriptions (UTF-8).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct NativeAudioDevice
    {
        public NativeAudioDevice* Next;
        public nint Device;
        public nint Description;
    }

    /// <summary>libvlc_media_track_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct NativeTrack
    {
        public uint Codec;
        public uint OriginalFourcc;
        public int Id;
        public int Type; // libvlc_track_type_t: -1 unknown, 0 audio, 1 video, 2 text
        public int Profile;
        public int Level;
        public NativeVideoTrack* Video; // a union of audio/video/subtitle pointers: read only when Type is video
        public uint Bitrate;
        public nint Language;
        public nint Description;
    }

    /// <summary>The head of libvlc_video_track_t (height before width, as in the C header).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct NativeVideoTrack
    {
        public uint Height;
        public uint Width;
        public uint SarNum;
        public uint SarDen;
        public uint FrameRateNum;
        public uint FrameRateDen;
    }
}
