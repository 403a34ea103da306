using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace AmvScreening.Tests.Player.ScreenSupport;

/// <summary>
/// A virtual X server (Xvfb, Debian package xvfb) of its own for a test or the gap benchmark. Xvfb picks a free
/// display number itself and writes it to its standard output once it accepts connections (<c>-displayfd 1</c>), so
/// starting it is one bounded read, not a poll. <c>-noreset</c> keeps the root's colour when the last client (e.g.
/// xsetroot) leaves. Shared by the tests and the benchmark (compiled into both).
/// </summary>
public sealed class XvfbDisplay : IDisposable
{
    private readonly Process _process;
    private string? _previousDisplay;
    private bool _inProcess;

    private XvfbDisplay(Process process, int number, int width, int height)
    {
        _process = process;
        Number = number;
        Width = width;
        Height = height;
    }

    /// <summary>The display number N (the display is ":N").</summary>
    public int Number { get; }

    public string Name => $":{Number}";

    public int Width { get; }

    public int Height { get; }

    /// <summary>Starts <c>Xvfb -displayfd 1 -screen 0 WxHx24</c> and returns once it accepts connections.</summary>
    public static async Task<XvfbDisplay> StartAsync(int width = 1280, int height = 720, TimeSpan? timeout = null)
    {
        var xvfb = Find("Xvfb", "xvfb");
        var start = new ProcessStartInfo(xvfb)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "-displayfd", "1", "-screen", "0", $"{width}x{height}x24", "-nolisten", "tcp", "-noreset" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Xvfb did not start.");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            var bound = timeout ?? TimeSpan.FromSeconds(20);
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(bound);
            if (!int.TryParse(line, out var number))
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
                throw new InvalidOperationException($"Xvfb did not start (it said '{line}'):\n{errors}");
            }

            return new XvfbDisplay(process, number, width, height);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Kill(process);
            process.Dispose();
            throw new InvalidOperationException($"Xvfb did not accept connections in time: {e.Message}\n{errors}", e);
        }
    }

    /// <summary>Paints the root window (the desktop) one colour, e.g. "#ff00ff", with xsetroot
    /// (Debian package x11-xserver-utils).</summary>
    public async Task PaintRootAsync(string colour)
    {
        await RunAsync(Find("xsetroot", "x11-xserver-utils"), ["-display", Name, "-solid", colour]);
    }

    /// <summary>Saves what the screen shows as a PNG file (imagemagick's <c>import -window root</c>).</summary>
    public async Task ScreenshotAsync(string pngPath)
    {
        await RunAsync(Find("import", "imagemagick"), ["-display", Name, "-window", "root", pngPath]);
    }

    /// <summary>Sets DISPLAY for native code in this process (SDL and libvlc read it with getenv; .NET's
    /// Environment.SetEnvironmentVariable does not change what they see), until <see cref="Dispose"/>.</summary>
    public void UseInThisProcess()
    {
        if (!_inProcess)
        {
            _previousDisplay = Marshal.PtrToStringUTF8(getenv("DISPLAY"));
            _inProcess = true;
        }

        SetNativeDisplay(Name);
    }

    /// <summary>DISPLAY for native code: a display name, or null to unset it.</summary>
    public static void SetNativeDisplay(string? name)
    {
        var result = name is null ? unsetenv("DISPLAY") : setenv("DISPLAY", name, 1);
        if (result != 0)
        {
            throw new InvalidOperationException($"setenv(DISPLAY) failed ({Marshal.GetLastPInvokeError()}).");
        }
    }

    /// <summary>DISPLAY as native code sees it.</summary>
    public static string? NativeDisplay() => Marshal.PtrToStringUTF8(getenv("DISPLAY"));

    public void Dispose()
    {
        if (_inProcess)
        {
            SetNativeDisplay(_previousDisplay);
            _inProcess = false;
        }

        Kill(_process);
        _process.Dispose();
    }

    /// <summary>SIGTERM first, so that Xvfb removes its lock file and socket; SIGKILL if it is still there after 5 s.</summary>
    private static void Kill(Process process)
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }

            if (kill(process.Id, SIGTERM) == 0 && process.WaitForExit(5000))
            {
                return;
            }

            process.Kill();
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task RunAsync(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within 30 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }

    /// <summary>The full path of a program on PATH, or a failure naming the package (tests never skip silently).</summary>
    public static string Find(string program, string package) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            $"'{program}' is not installed (Debian package {package}). Run ./amv test, which installs the test prerequisites.");

    private const int SIGTERM = 15;

    [DllImport("libc.so.6")]
    private static extern int kill(int pid, int signal);

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int unsetenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc.so.6")]
    private static extern nint getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
