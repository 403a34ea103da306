using System.Diagnostics;

namespace AmvScreening.Tests.Player.ScreenSupport;

/// <summary>One sample of the screen: when (since the sampler started), what it looked like, and what was meant to
/// be on screen then (<see cref="ScreenSampler.Phase"/>).</summary>
public readonly record struct ScreenSample(TimeSpan At, Look Look, string Phase);

/// <summary>
/// Samples the whole screen continuously on a thread of its own (a <see cref="X11Capture.Grid"/> of points, each
/// sample classified as a <see cref="Look"/>) until disposed; the samples are kept for the assertions.
/// </summary>
public sealed class ScreenSampler : IDisposable
{
    private readonly X11Capture _capture;
    private readonly Thread _thread;
    private readonly List<ScreenSample> _samples = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _columns, _rows;
    private volatile bool _stopping;
    private volatile string _phase = "start";
    private Exception? _failure;

    public ScreenSampler(string display, int columns = 64, int rows = 36)
    {
        _capture = new X11Capture(display);
        (_columns, _rows) = (columns, rows);
        _thread = new Thread(Run) { IsBackground = true, Name = "screen sampler" };
        _thread.Start();
    }

    /// <summary>A label for the samples that follow (what the test is putting on screen).</summary>
    public string Phase
    {
        get => _phase;
        set => _phase = value;
    }

    /// <summary>The samples so far.</summary>
    public IReadOnlyList<ScreenSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Waits until a sample taken from now on looks like <paramref name="look"/> (at most
    /// <paramref name="bound"/>).</summary>
    public async Task WaitForAsync(Look look, TimeSpan bound)
    {
        var deadline = _clock.Elapsed + bound;
        var seen = Samples.Count;
        while (true)
        {
            var samples = Samples;
            if (samples.Skip(seen).Any(s => s.Look == look))
            {
                return;
            }

            seen = samples.Count;
            if (_failure is not null) throw new InvalidOperationException("The screen sampler failed.", _failure);
            if (_clock.Elapsed > deadline)
            {
                throw new TimeoutException($"The screen did not look {look} within {bound.TotalSeconds} s; last looks: " +
                                           string.Join(", ", samples.TakeLast(5).Select(s => s.Look)));
            }

            await Task.Delay(10);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(5));
        _capture.Dispose();
        if (_failure is not null)
        {
            throw new InvalidOperationException("The screen sampler failed.", _failure);
        }
    }

    private void Run()
    {
        try
        {
            while (!_stopping)
            {
                var look = ScreenLooks.Classify(_capture.Grid(_columns, _rows));
                lock (_samples)
                {
                    _samples.Add(new ScreenSample(_clock.Elapsed, look, _phase));
                }
            }
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }
}
