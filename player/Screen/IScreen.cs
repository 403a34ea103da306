namespace AmvScreening.Player.Screen;

/// <summary>
/// The projector's window as the rest of the player sees it: the native window a video engine draws into (one of
/// <see cref="XWindow"/>, <see cref="Hwnd"/>, <see cref="NsView"/>, by platform), the keys typed into it, its close
/// button, and a way to paint it black. <see cref="SdlScreen"/> is the window on SDL2; nothing else in the player
/// needs to know that.
/// </summary>
public interface IScreen : IDisposable
{
    /// <summary>The X11 window to draw into (Linux).</summary>
    uint? XWindow { get; }

    /// <summary>The window's HWND (Windows).</summary>
    nint? Hwnd { get; }

    /// <summary>The window's content view, an NSView (macOS).</summary>
    nint? NsView { get; }

    /// <summary>A key was pressed in the window: a printable character as typed, or one of <see cref="ScreenKeys"/>.
    /// Raised on the screen's own thread: keep handlers short.</summary>
    event Action<char>? KeyPressed;

    /// <summary>The window was asked to close; it stays open: what to do is the handler's choice.</summary>
    event Action? QuitRequested;

    /// <summary>Paints the window black now (from any thread): takes the last picture a stopped engine left there.</summary>
    void Clear();
}
