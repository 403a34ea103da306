using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static AmvScreening.Player.Screen.SdlNative;

namespace AmvScreening.Player.Screen;

/// <summary>How <see cref="SdlScreen"/> opens its window.</summary>
public sealed record ScreenOptions
{
    /// <summary>The display to use, from 0 (<c>--display N</c>): fullscreen on it, or the window centred on it.</summary>
    public int Display { get; init; }

    /// <summary>A window of <see cref="WindowWidth"/>×<see cref="WindowHeight"/> instead of fullscreen, for rehearsals
    /// (<c>--windowed</c>).</summary>
    public bool Windowed { get; init; }

    public int WindowWidth { get; init; } = 1280;

    public int WindowHeight { get; init; } = 720;

    /// <summary>The window's title (task bar, window list).</summary>
    public string Title { get; init; } = "AmvScreening";

    /// <summary>How long <see cref="SdlScreen.Open"/> waits for SDL and the window.</summary>
    public TimeSpan OpenTimeout { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>Where the window is, in desktop pixels.</summary>
public readonly record struct ScreenBounds(int X, int Y, int Width, int Height)
{
    public override string ToString() => $"{Width}×{Height} at {X},{Y}";
}

/// <summary>The keys that are not printable characters, as <see cref="SdlScreen.KeyPressed"/> reports them.</summary>
public static class ScreenKeys
{
    public const char Space = ' ', Enter = '\r', Escape = '\u001b', Backspace = '\b', Tab = '\t', Delete = '\u007f';
    public const char Left = '←', Right = '→', Up = '↑', Down = '↓';
}

/// <summary>
/// The projector's one window for the whole show (<see cref="IScreen"/>): an SDL2 window, fullscreen on a display (or
/// a 1280×720 window for rehearsals), black, without a cursor, that the video engine draws every item into (given the
/// native window: <see cref="XWindow"/>, <see cref="Hwnd"/> or <see cref="NsView"/>). Because the window stays up from
/// the first slate to the end card, the desktop never shows between items; where the engine shows nothing (between
/// items, after it stops: a blackout) the window's own black shows.
/// </summary>
/// <remarks>
/// <para>SDL wants the thread that made the window to pump its events, so the screen has a thread of its own that
/// starts SDL, makes the window, and then pumps: key presses become <see cref="KeyPressed"/>, a window close
/// <see cref="QuitRequested"/>, and an exposed window is painted black again. Both events are raised on that thread:
/// keep handlers short (hand the key to the sequencer, e.g. <c>sequencer.Post(...)</c>); an exception in a handler is
/// logged and the screen goes on.</para>
/// <para>One screen per process. Dispose the engine drawing into it first, then the screen: the window is destroyed
/// once, on the screen's thread.</para>
/// <para>Platforms: X11 on Linux (the window's id, <see cref="XWindow"/>); Windows (<see cref="Hwnd"/>) and macOS
/// (<see cref="NsView"/>) through the same SDL calls, not tested here. Wayland has no way for libvlc 3 to draw into
/// another program's window: there SDL is asked for X11 (XWayland).</para>
/// </remarks>
public sealed class SdlScreen : IScreen
{
    private const int WakeCode = 0, ClearCode = 1;

    private static int s_open;

    private readonly ScreenOptions _options;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private volatile bool _stopping;
    private bool _pumping;
    private bool _started;
    private int _disposed;
    private nint _window;

    private SdlScreen(ScreenOptions options, ILogger? logger)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _thread = new Thread(Run) { IsBackground = true, Name = "SDL screen" };
    }

    /// <summary>The X11 window libvlc draws into (Linux).</summary>
    public uint? XWindow { get; private set; }

    /// <summary>The window's HWND (Windows).</summary>
    public nint? Hwnd { get; private set; }

    /// <summary>The window's content view, an NSView (macOS).</summary>
    public nint? NsView { get; private set; }

    /// <summary>Where the window was put when it opened.</summary>
    public ScreenBounds Bounds { get; private set; }

    /// <summary>The display it is on.</summary>
    public int Display => _options.Display;

    public bool Windowed => _options.Windowed;

    /// <summary>SDL's video driver ("x11", "windows", "cocoa").</summary>
    public string VideoDriver { get; private set; } = "";

    /// <summary>A key was pressed in the window: a printable character as typed (letters in lower case unless shift
    /// or caps lock), or one of <see cref="ScreenKeys"/>. Held keys do not repeat; keys with Ctrl, Alt or the system
    /// key are ignored. Raised on the screen's thread.</summary>
    public event Action<char>? KeyPressed;

    /// <summary>The window was asked to close (its close button, Alt+F4, the system's quit). The window stays open:
    /// what to do is the handler's choice. Raised on the screen's thread.</summary>
    public event Action? QuitRequested;

    /// <summary>Opens the window and returns once it is up and black.</summary>
    /// <param name="logger">Where the screen's problems go (a failed key handler, a window it could not paint).</param>
    /// <exception cref="ScreenException">SDL2 is missing, there is no display to open a window on (the message says to
    /// set DISPLAY or use --headless), the display does not exist, or the window could not be made.</exception>
    /// <exception cref="InvalidOperationException">Another screen is open in this process.</exception>
    public static SdlScreen Open(ScreenOptions? options = null, ILogger? logger = null)
    {
        options ??= new ScreenOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Display);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WindowWidth, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WindowHeight, 64);
        if (!Environment.Is64BitProcess)
        {
            throw new PlatformNotSupportedException("The SDL screen reads SDL's window information in its 64-bit layout: run the 64-bit player.");
        }

        if (Interlocked.CompareExchange(ref s_open, 1, 0) != 0)
        {
            throw new InvalidOperationException("A screen is already open in this process (SDL has one video subsystem): dispose it first.");
        }

        var screen = new SdlScreen(options, logger);
        try
        {
            SdlNative.EnsureLoaded();
            screen._started = true;
            screen._thread.Start();
            if (!((IAsyncResult)screen._opened.Task).AsyncWaitHandle.WaitOne(options.OpenTimeout))
            {
                throw new ScreenException(
                    $"The projector window did not open within {options.OpenTimeout.TotalSeconds:0} s: SDL did not answer (is the display {DisplayVariable() ?? "(DISPLAY not set)"} responding?).");
            }

            screen._opened.Task.GetAwaiter().GetResult(); // what went wrong on the screen's thread, as it was thrown
        }
        catch
        {
            screen.Dispose();
            throw;
        }

        return screen;
    }

    /// <summary>Paints the window black now (from any thread). libvlc draws straight into the window and leaves its
    /// last picture there when it stops (the engine stopped or disposed): call this to take that picture off the
    /// screen. While libvlc is showing something it paints it again at its next frame (a still:
    /// within about 80 ms), so this is not a blackout; a blackout is a black slate.</summary>
    public void Clear() => Wake(ClearCode);

    /// <summary>Destroys the window (once, on the screen's thread) and shuts SDL down. Dispose the engine drawing into
    /// it first.</summary>
    /// <remarks>May be called again, and from any thread: from the screen's own (a handler) it only asks the pump to
    /// stop, and the window closes when the handler returns; from another it also waits (at most 5 s) until the
    /// window is gone and SDL is shut down.</remarks>
    public void Dispose()
    {
        _stopping = true;
        if (!_started)
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Exchange(ref s_open, 0); // SDL was never touched
            }

            return;
        }

        if (Thread.CurrentThread == _thread)
        {
            return;
        }

        Wake(WakeCode);
        if (!_thread.Join(TimeSpan.FromSeconds(5)) && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _logger.LogWarning("Screen: the screen's thread did not stop within 5 s; leaving it to end with the process");
        }
    }

    /// <summary>What <see cref="KeyPressed"/> reports for SDL's key <paramref name="sym"/> with modifiers
    /// <paramref name="mod"/>, or null for a key it ignores.</summary>
    internal static char? KeyToChar(int sym, ushort mod)
    {
        if ((mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI)) != 0)
        {
            return null;
        }

        switch (sym)
        {
            case >= 'a' and <= 'z':
                var upper = ((mod & KMOD_SHIFT) != 0) ^ ((mod & KMOD_CAPS) != 0);
                return upper ? char.ToUpperInvariant((char)sym) : (char)sym;
            case >= 0x20 and <= 0x7E:
            case '\r' or '\u001b' or '\b' or '\t' or 0x7F:
                return (char)sym;
        }

        // Keys without a character: SDLK_SCANCODE_MASK (1 << 30) | their scancode.
        const int Keys = 1 << 30, KeypadOne = Keys | 89, KeypadNine = Keys | 97;
        return sym switch
        {
            Keys | 79 => ScreenKeys.Right,
            Keys | 80 => ScreenKeys.Left,
            Keys | 81 => ScreenKeys.Down,
            Keys | 82 => ScreenKeys.Up,
            Keys | 84 => '/',
            Keys | 85 => '*',
            Keys | 86 => '-',
            Keys | 87 => '+',
            Keys | 88 => ScreenKeys.Enter, // keypad enter
            >= KeypadOne and <= KeypadNine => (char)('1' + (sym - KeypadOne)),
            Keys | 98 => '0',
            Keys | 99 => '.',
            _ => null,
        };
    }

    // --- The screen's thread --------------------------------------------------------------------------------------------

    private unsafe void Run()
    {
        try
        {
            try
            {
                Start();
            }
            catch (Exception e)
            {
                Close();
                _opened.TrySetException(e);
                return;
            }

            lock (_gate)
            {
                _pumping = true;
            }

            _opened.TrySetResult();
            try
            {
                SdlEvent ev;
                while (!_stopping)
                {
                    if (SDL_WaitEventTimeout(&ev, 250) == 1)
                    {
                        Handle(in ev);
                    }
                }
            }
            finally
            {
                lock (_gate)
                {
                    _pumping = false;
                }

                Close();
            }
        }
        finally
        {
            Interlocked.Exchange(ref s_open, 0); // SDL is shut down: another screen may open
        }
    }

    private unsafe void Start()
    {
        if (OperatingSystem.IsLinux())
        {
            InitXlibThreads();
            // libvlc 3 draws only into X11 windows: on a Wayland desktop SDL goes through XWayland. SDL_VIDEODRIVER in
            // the environment still wins.
            SDL_SetHint("SDL_VIDEODRIVER", "x11");
        }

        SDL_SetHint("SDL_APP_NAME", _options.Title);
        SDL_SetHint("SDL_NO_SIGNAL_HANDLERS", "1");              // Ctrl+C and SIGTERM stay .NET's
        SDL_SetHint("SDL_VIDEO_MINIMIZE_ON_FOCUS_LOSS", "0");    // the booth terminal taking focus must not uncover the desktop
        SDL_SetHint("SDL_QUIT_ON_LAST_WINDOW_CLOSE", "0");       // a close is one QuitRequested, not two
        SDL_SetHint("SDL_VIDEO_ALLOW_SCREENSAVER", "0");         // no screen saver or power saving over the show

        if (SDL_Init(SDL_INIT_VIDEO) != 0)
        {
            var error = LastError();
            var display = DisplayVariable();
            var advice = OperatingSystem.IsLinux()
                ? display is null
                    ? "DISPLAY is not set: there is no desktop to open the projector window on. Run the player in the projector machine's desktop session or set DISPLAY (e.g. DISPLAY=:0), or use --headless to play without a window."
                    : $"DISPLAY is {display}: is that X server running and may this user use it? Set DISPLAY to the projector's desktop, or use --headless to play without a window."
                : "Run the player on the machine's desktop, or use --headless to play without a window.";
            throw new ScreenException($"The projector window cannot open: SDL could not start its video ({error}). {advice}");
        }

        VideoDriver = Marshal.PtrToStringUTF8(SDL_GetCurrentVideoDriver()) ?? "";
        var displays = SDL_GetNumVideoDisplays();
        if (_options.Display >= displays)
        {
            throw new ScreenException($"There is no display {_options.Display}: this machine has {Describe(displays)}. Pick one with --display N.");
        }

        SdlRect bounds;
        if (SDL_GetDisplayBounds(_options.Display, &bounds) != 0)
        {
            throw new ScreenException($"SDL could not read display {_options.Display}'s size: {LastError()}.");
        }

        _window = _options.Windowed
            ? SDL_CreateWindow(_options.Title, WindowPosCentered(_options.Display), WindowPosCentered(_options.Display),
                _options.WindowWidth, _options.WindowHeight, SDL_WINDOW_SHOWN | SDL_WINDOW_RESIZABLE)
            : SDL_CreateWindow(_options.Title, bounds.X, bounds.Y, bounds.W, bounds.H, SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_SHOWN);
        if (_window == 0)
        {
            throw new ScreenException($"SDL could not make the projector window on display {_options.Display}: {LastError()}.");
        }

        SDL_ShowCursor(0);
        FillBlack();
        SDL_RaiseWindow(_window);

        SysWMInfo info = default;
        SDL_GetVersion(&info.Version);
        if (SDL_GetWindowWMInfo(_window, &info) == 0)
        {
            throw new ScreenException($"SDL could not say which native window it made: {LastError()}.");
        }

        switch (info.Subsystem)
        {
            case SDL_SYSWM_X11:
                XWindow = checked((uint)info.Info1);
                break;
            case SDL_SYSWM_WINDOWS:
                Hwnd = info.Info0;
                break;
            case SDL_SYSWM_COCOA:
                NsView = SdlNative.objc_msgSend(info.Info0, SdlNative.sel_registerName("contentView"));
                break;
            case SDL_SYSWM_WAYLAND:
                throw new ScreenException("SDL opened a Wayland window, which libvlc 3 cannot draw into: run the player under X11 or XWayland (unset SDL_VIDEODRIVER, or set it to x11).");
            default:
                throw new ScreenException($"SDL's window system ({info.Subsystem}, driver {VideoDriver}) is not one libvlc can draw into.");
        }

        int x, y, w, h;
        SDL_GetWindowPosition(_window, &x, &y);
        SDL_GetWindowSize(_window, &w, &h);
        Bounds = new ScreenBounds(x, y, w, h);
    }

    private void Handle(in SdlEvent ev)
    {
        switch (ev.Type)
        {
            case SDL_KEYDOWN when ev.KeyRepeat == 0:
                if (KeyToChar(ev.KeySym, ev.KeyMod) is { } key)
                {
                    Raise(() => KeyPressed?.Invoke(key), "KeyPressed");
                }

                break;
            case SDL_WINDOWEVENT when ev.WindowEvent == SDL_WINDOWEVENT_CLOSE:
            case SDL_QUIT:
                Raise(() => QuitRequested?.Invoke(), "QuitRequested");
                break;
            case SDL_USEREVENT when ev.UserCode == ClearCode:
                FillBlack();
                break;
            case SDL_WINDOWEVENT when ev.WindowEvent is SDL_WINDOWEVENT_SHOWN or SDL_WINDOWEVENT_EXPOSED
                or SDL_WINDOWEVENT_SIZE_CHANGED or SDL_WINDOWEVENT_RESTORED:
                // Where libvlc's picture is not (between items, a blackout), the window shows; X keeps no contents
                // for it, so it is painted black again whenever it is uncovered or resized.
                FillBlack();
                break;
        }
    }

    private unsafe void FillBlack()
    {
        var surface = SDL_GetWindowSurface(_window);
        if (surface == 0 || SDL_FillRect(surface, null, 0) != 0 || SDL_UpdateWindowSurface(_window) != 0)
        {
            _logger.LogWarning("Screen: could not paint the window black: {Error}", LastError());
        }
    }

    private void Close()
    {
        if (_window != 0)
        {
            SDL_DestroyWindow(_window);
            _window = 0;
        }

        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        SDL_Quit();
    }

    /// <summary>Hands the pump (from any thread) a user event: <see cref="WakeCode"/> so it sees <see cref="_stopping"/>
    /// at once, <see cref="ClearCode"/> to paint the window black.</summary>
    private unsafe void Wake(int code)
    {
        lock (_gate)
        {
            if (_pumping)
            {
                var ev = new SdlEvent { Type = SDL_USEREVENT, UserCode = code };
                SDL_PushEvent(&ev);
            }
        }
    }

    private void Raise(Action raise, string name)
    {
        try
        {
            raise();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Screen: a {Event} handler failed", name);
        }
    }

    private static unsafe string Describe(int displays)
    {
        if (displays <= 0)
        {
            return "no display SDL can use";
        }

        var parts = new List<string>();
        for (var i = 0; i < displays; i++)
        {
            SdlRect r;
            var name = Marshal.PtrToStringUTF8(SDL_GetDisplayName(i)) ?? "?";
            parts.Add(SDL_GetDisplayBounds(i, &r) == 0 ? $"{i}: \"{name}\" {r.W}×{r.H} at {r.X},{r.Y}" : $"{i}: \"{name}\"");
        }

        return $"{displays} display(s): {string.Join("; ", parts)}";
    }

    /// <summary>DISPLAY as native code (SDL, libvlc) sees it; .NET's Environment is a copy of its own.</summary>
    private static string? DisplayVariable() => Marshal.PtrToStringUTF8(SDL_getenv("DISPLAY")) is { Length: > 0 } d ? d : null;
}
