using System.Runtime.InteropServices;

namespace AmvScreening.Tests.Player.ScreenSupport;

/// <summary>
/// Reads what an X display shows, straight from the X server (libX11's <c>XGetImage</c> of the root window: the
/// desktop with every window on it, as a person would see it), fast enough to sample a screen hundreds of times a
/// second: a grid of points over the whole screen (~5 ms on Xvfb), or a small region (well under 1 ms). One
/// connection of its own; use it from one thread. Shared by the tests and the gap benchmark (compiled into both).
/// </summary>
public sealed class X11Capture : IDisposable
{
    private const int ZPixmap = 2;
    private const ulong AllPlanes = ulong.MaxValue;

    private nint _display;
    private readonly nuint _root;

    /// <param name="display">The display's name, e.g. ":99".</param>
    public X11Capture(string display)
    {
        // Xlib wants this before any other call when several threads use it (SDL and libvlc in the same process).
        XInitThreads();
        _display = XOpenDisplay(display);
        if (_display == 0)
        {
            throw new InvalidOperationException($"Cannot open X display {display}.");
        }

        var screen = XDefaultScreen(_display);
        _root = XRootWindow(_display, screen);
        Width = XDisplayWidth(_display, screen);
        Height = XDisplayHeight(_display, screen);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The pixels (0xRRGGBB) of a rectangle of the screen, row by row.</summary>
    public uint[] Region(int x, int y, int width, int height)
    {
        var pixels = new uint[width * height];
        Read(x, y, width, height, (image, data, bytesPerLine) =>
        {
            for (var row = 0; row < height; row++)
            {
                var line = data + row * bytesPerLine;
                for (var column = 0; column < width; column++)
                {
                    pixels[row * width + column] = (uint)Marshal.ReadInt32(line, column * 4) & 0xFFFFFF;
                }
            }
        });
        return pixels;
    }

    /// <summary><paramref name="columns"/>×<paramref name="rows"/> points spread evenly over the whole screen
    /// (0xRRGGBB, row by row), from one image of it.</summary>
    public uint[] Grid(int columns, int rows)
    {
        var pixels = new uint[columns * rows];
        Read(0, 0, Width, Height, (image, data, bytesPerLine) =>
        {
            for (var row = 0; row < rows; row++)
            {
                var y = (int)((row + 0.5) * Height / rows);
                for (var column = 0; column < columns; column++)
                {
                    var x = (int)((column + 0.5) * Width / columns);
                    pixels[row * columns + column] = (uint)Marshal.ReadInt32(data, y * bytesPerLine + x * 4) & 0xFFFFFF;
                }
            }
        });
        return pixels;
    }

    /// <summary>Asks a window to close the way a window manager does when its close button is clicked: a
    /// WM_PROTOCOLS client message carrying WM_DELETE_WINDOW.</summary>
    public void RequestClose(uint window)
    {
        ObjectDisposedException.ThrowIf(_display == 0, this);
        const int ClientMessage = 33, XEventSize = 192;
        var protocols = XInternAtom(_display, "WM_PROTOCOLS", 0);
        var delete = XInternAtom(_display, "WM_DELETE_WINDOW", 0);
        var ev = Marshal.AllocHGlobal(XEventSize);
        try
        {
            // XClientMessageEvent (64-bit): type 0, serial 8, send_event 16, display 24, window 32, message_type 40,
            // format 48, data.l[0] 56, data.l[1] 64 (the time: CurrentTime).
            for (var i = 0; i < XEventSize; i += 8)
            {
                Marshal.WriteInt64(ev, i, 0);
            }

            Marshal.WriteInt32(ev, 0, ClientMessage);
            Marshal.WriteInt32(ev, 16, 1);
            Marshal.WriteIntPtr(ev, 24, _display);
            Marshal.WriteInt64(ev, 32, window);
            Marshal.WriteInt64(ev, 40, (long)protocols);
            Marshal.WriteInt32(ev, 48, 32);
            Marshal.WriteInt64(ev, 56, (long)delete);
            if (XSendEvent(_display, window, 0, 0, ev) == 0)
            {
                throw new InvalidOperationException($"XSendEvent to window 0x{window:x} failed.");
            }

            XFlush(_display);
        }
        finally
        {
            Marshal.FreeHGlobal(ev);
        }
    }

    public void Dispose()
    {
        if (_display != 0)
        {
            XCloseDisplay(_display);
            _display = 0;
        }
    }

    private void Read(int x, int y, int width, int height, Action<nint, nint, int> read)
    {
        ObjectDisposedException.ThrowIf(_display == 0, this);
        var image = XGetImage(_display, _root, x, y, (uint)width, (uint)height, AllPlanes, ZPixmap);
        if (image == 0)
        {
            throw new InvalidOperationException("XGetImage of the root window failed.");
        }

        try
        {
            // XImage (64-bit): width 0, height 4, xoffset 8, format 12, data 16, byte_order 24, …, depth 40,
            // bytes_per_line 44, bits_per_pixel 48, red_mask 56.
            var bitsPerPixel = Marshal.ReadInt32(image, 48);
            var redMask = (ulong)Marshal.ReadInt64(image, 56);
            if (bitsPerPixel != 32 || redMask != 0xFF0000)
            {
                throw new InvalidOperationException($"Only 24-bit colour displays are read (this one: {bitsPerPixel} bits per pixel, red mask {redMask:x}).");
            }

            read(image, Marshal.ReadIntPtr(image, 16), Marshal.ReadInt32(image, 44));
        }
        finally
        {
            XDestroyImage(image);
        }
    }

    private const string LibX11 = "libX11.so.6";

    [DllImport(LibX11)]
    private static extern int XInitThreads();

    [DllImport(LibX11)]
    private static extern nint XOpenDisplay([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport(LibX11)]
    private static extern int XCloseDisplay(nint display);

    [DllImport(LibX11)]
    private static extern int XDefaultScreen(nint display);

    [DllImport(LibX11)]
    private static extern nuint XRootWindow(nint display, int screen);

    [DllImport(LibX11)]
    private static extern int XDisplayWidth(nint display, int screen);

    [DllImport(LibX11)]
    private static extern int XDisplayHeight(nint display, int screen);

    [DllImport(LibX11)]
    private static extern nint XGetImage(nint display, nuint drawable, int x, int y, uint width, uint height, ulong planeMask, int format);

    [DllImport(LibX11)]
    private static extern int XDestroyImage(nint image);

    [DllImport(LibX11)]
    private static extern nuint XInternAtom(nint display, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, int onlyIfExists);

    [DllImport(LibX11)]
    private static extern int XSendEvent(nint display, nuint window, int propagate, long eventMask, nint ev);

    [DllImport(LibX11)]
    private static extern int XFlush(nint display);
}
