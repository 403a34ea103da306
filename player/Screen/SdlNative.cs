using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace AmvScreening.Player.Screen;

/// <summary>
/// The part of the SDL2 C API the screen uses, under its C names (SDL 2.0.18 or later; Debian 12 has 2.26), and the
/// one Xlib call it needs. Only <see cref="SdlScreen"/> calls these, and only from its own thread.
/// </summary>
/// <remarks>
/// The library is found through <see cref="AssemblyLoadContext.ResolvingUnmanagedDll"/>, not
/// <see cref="NativeLibrary.SetDllImportResolver"/>: an assembly may have one resolver, and libvlc's binding
/// (Vlc/LibVlcNative) owns it. The event is asked after that resolver and the default probing have given up.
/// </remarks>
internal static unsafe partial class SdlNative
{
    /// <summary>The names the imports use; <see cref="Resolve"/> maps them to the file of each OS.</summary>
    public const string Library = "SDL2", X11Library = "X11", ObjCLibrary = "objc";

    /// <summary>What to install when SDL2 is missing, per OS.</summary>
    public const string InstallHint =
        "On Debian/Ubuntu install the package libsdl2-2.0-0 (./amv installs it); on Windows put SDL2.dll (64-bit) next " +
        "to the player or set AMV_SDL_DIR to its folder; on macOS `brew install sdl2`.";

    public const uint SDL_INIT_VIDEO = 0x20;

    public const uint SDL_WINDOW_FULLSCREEN_DESKTOP = 0x1001, SDL_WINDOW_SHOWN = 0x4, SDL_WINDOW_RESIZABLE = 0x20;

    /// <summary>SDL_WINDOWPOS_CENTERED_DISPLAY(n).</summary>
    public static int WindowPosCentered(int display) => 0x2FFF0000 | display;

    public const uint SDL_QUIT = 0x100, SDL_WINDOWEVENT = 0x200, SDL_KEYDOWN = 0x300, SDL_USEREVENT = 0x8000;

    public const byte SDL_WINDOWEVENT_SHOWN = 1, SDL_WINDOWEVENT_EXPOSED = 3, SDL_WINDOWEVENT_SIZE_CHANGED = 6,
        SDL_WINDOWEVENT_RESTORED = 9, SDL_WINDOWEVENT_CLOSE = 14;

    /// <summary>SDL_SYSWM_TYPE values.</summary>
    public const int SDL_SYSWM_WINDOWS = 1, SDL_SYSWM_X11 = 2, SDL_SYSWM_COCOA = 4, SDL_SYSWM_WAYLAND = 6;

    /// <summary>Modifier masks (SDL_Keymod).</summary>
    public const ushort KMOD_SHIFT = 0x0003, KMOD_CTRL = 0x00C0, KMOD_ALT = 0x0300, KMOD_GUI = 0x0C00, KMOD_CAPS = 0x2000;

    private static readonly Lazy<(nint Handle, string[] Tried)> Loaded = new(() => Load(Candidates()));
    private static readonly Lazy<nint> X11Loaded = new(() => Load(["libX11.so.6"]).Handle);
    private static readonly Lazy<nint> ObjCLoaded = new(() => Load(["/usr/lib/libobjc.A.dylib"]).Handle);

    static SdlNative()
    {
        var assembly = typeof(SdlNative).Assembly;
        AssemblyLoadContext.Default.ResolvingUnmanagedDll += (from, name) => from == assembly ? Resolve(name) : 0;
    }

    /// <summary>Loads SDL2 now, or throws a <see cref="ScreenException"/> saying what to install.</summary>
    public static void EnsureLoaded()
    {
        if (Loaded.Value.Handle == 0)
        {
            throw new ScreenException($"SDL2 could not be loaded (tried {string.Join(", ", Loaded.Value.Tried)}). {InstallHint}");
        }
    }

    /// <summary>Xlib must be told it is used from several threads before anything else calls it: SDL draws from the
    /// screen's thread and libvlc's video output from its own (VLC's own main does the same). False when libX11 is
    /// not there (not X11: Windows, macOS).</summary>
    public static bool InitXlibThreads() => X11Loaded.Value != 0 && XInitThreads() != 0;

    private static nint Resolve(string name) => name switch
    {
        Library => Loaded.Value.Handle,
        X11Library => X11Loaded.Value,
        ObjCLibrary => ObjCLoaded.Value,
        _ => 0,
    };

    private static (nint Handle, string[] Tried) Load(IEnumerable<string> names)
    {
        var candidates = names.ToArray();
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
        var dir = Environment.GetEnvironmentVariable("AMV_SDL_DIR");
        if (OperatingSystem.IsWindows())
        {
            if (!string.IsNullOrEmpty(dir)) yield return Path.Combine(dir, "SDL2.dll");
            yield return Path.Combine(AppContext.BaseDirectory, "SDL2.dll");
            yield return "SDL2.dll";
        }
        else if (OperatingSystem.IsMacOS())
        {
            if (!string.IsNullOrEmpty(dir)) yield return Path.Combine(dir, "libSDL2-2.0.0.dylib");
            yield return "/opt/homebrew/lib/libSDL2-2.0.0.dylib";
            yield return "/usr/local/lib/libSDL2-2.0.0.dylib";
            yield return "libSDL2-2.0.0.dylib";
        }
        else
        {
            if (!string.IsNullOrEmpty(dir)) yield return Path.Combine(dir, "libSDL2-2.0.so.0");
            yield return "libSDL2-2.0.so.0"; // the runtime package (libsdl2-2.0-0) has only this name
            yield return "libSDL2.so";       // libsdl2-dev's link
        }
    }

    /// <summary>SDL's last error on this thread.</summary>
    public static string LastError() => Marshal.PtrToStringUTF8(SDL_GetError()) is { Length: > 0 } e ? e : "no message";

    // --- Set-up -------------------------------------------------------------------------------------------------------

    [LibraryImport(Library)]
    public static partial int SDL_Init(uint flags);

    [LibraryImport(Library)]
    public static partial void SDL_QuitSubSystem(uint flags);

    [LibraryImport(Library)]
    public static partial void SDL_Quit();

    /// <summary>A thread-local message owned by SDL.</summary>
    [LibraryImport(Library)]
    public static partial nint SDL_GetError();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SDL_SetHint(string name, string value);

    [LibraryImport(Library)]
    public static partial void SDL_GetVersion(SdlVersion* version);

    [LibraryImport(Library)]
    public static partial nint SDL_GetCurrentVideoDriver();

    /// <summary>The process's environment as native code sees it (.NET's Environment is a copy of its own).</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint SDL_getenv(string name);

    // --- Displays -----------------------------------------------------------------------------------------------------

    [LibraryImport(Library)]
    public static partial int SDL_GetNumVideoDisplays();

    [LibraryImport(Library)]
    public static partial int SDL_GetDisplayBounds(int displayIndex, SdlRect* rect);

    [LibraryImport(Library)]
    public static partial nint SDL_GetDisplayName(int displayIndex);

    // --- The window ---------------------------------------------------------------------------------------------------

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint SDL_CreateWindow(string title, int x, int y, int w, int h, uint flags);

    [LibraryImport(Library)]
    public static partial void SDL_DestroyWindow(nint window);

    [LibraryImport(Library)]
    public static partial void SDL_GetWindowPosition(nint window, int* x, int* y);

    [LibraryImport(Library)]
    public static partial void SDL_GetWindowSize(nint window, int* w, int* h);

    [LibraryImport(Library)]
    public static partial void SDL_RaiseWindow(nint window);

    /// <summary>SDL_bool; fills <paramref name="info"/>, whose version must be set first.</summary>
    [LibraryImport(Library)]
    public static partial int SDL_GetWindowWMInfo(nint window, SysWMInfo* info);

    [LibraryImport(Library)]
    public static partial int SDL_ShowCursor(int toggle);

    [LibraryImport(Library)]
    public static partial nint SDL_GetWindowSurface(nint window);

    /// <summary>A null rect fills the whole surface; colour 0 is black in every RGB format.</summary>
    [LibraryImport(Library)]
    public static partial int SDL_FillRect(nint surface, SdlRect* rect, uint color);

    [LibraryImport(Library)]
    public static partial int SDL_UpdateWindowSurface(nint window);

    // --- Events -------------------------------------------------------------------------------------------------------

    /// <summary>1 when an event was taken, 0 on timeout or error.</summary>
    [LibraryImport(Library)]
    public static partial int SDL_WaitEventTimeout(SdlEvent* ev, int timeoutMs);

    /// <summary>Thread-safe: wakes the pump from another thread.</summary>
    [LibraryImport(Library)]
    public static partial int SDL_PushEvent(SdlEvent* ev);

    // --- Xlib ---------------------------------------------------------------------------------------------------------

    [LibraryImport(X11Library)]
    private static partial int XInitThreads();

    // --- Objective-C (macOS: the NSWindow's content view, which libvlc draws into) ----------------------------------

    [LibraryImport(ObjCLibrary, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint sel_registerName(string name);

    /// <summary>objc_msgSend with the prototype id (id, SEL).</summary>
    [LibraryImport(ObjCLibrary)]
    public static partial nint objc_msgSend(nint receiver, nint selector);

    // --- Structures (64-bit layouts) ----------------------------------------------------------------------------------

    [StructLayout(LayoutKind.Sequential)]
    public struct SdlVersion
    {
        public byte Major, Minor, Patch;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct SdlRect
    {
        public int X, Y, W, H;
    }

    /// <summary>SDL_SysWMinfo: the version, the subsystem, then a union of per-system structs (64 bytes in SDL's
    /// header, padded further here) that starts at offset 8 on 64-bit. X11: Display* at 8, Window at 16.
    /// Windows: HWND at 8. Cocoa: NSWindow* at 8.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    public struct SysWMInfo
    {
        public SdlVersion Version;
        public int Subsystem;
        public nint Info0;
        public nint Info1;
    }

    /// <summary>SDL_Event: 56 bytes, the type first. Keyboard events: repeat at 13, keysym.sym at 20, keysym.mod at
    /// 24. Window events: the event id at 12. User events: the code at 12.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    public struct SdlEvent
    {
        [FieldOffset(0)] public uint Type;
        [FieldOffset(12)] public byte WindowEvent;
        [FieldOffset(12)] public int UserCode;
        [FieldOffset(13)] public byte KeyRepeat;
        [FieldOffset(20)] public int KeySym;
        [FieldOffset(24)] public ushort KeyMod;
    }
}

/// <summary>The screen could not be opened (no display, SDL missing, no such display); the message says what to do.</summary>
public sealed class ScreenException(string message) : Exception(message);
