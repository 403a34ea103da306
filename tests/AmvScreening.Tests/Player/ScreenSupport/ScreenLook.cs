namespace AmvScreening.Tests.Player.ScreenSupport;

/// <summary>What a sample of the screen shows, as far as the screen tests and the gap benchmark need to tell.</summary>
public enum Look
{
    /// <summary>The window's black (between items, before the first).</summary>
    Black,
    /// <summary>A slate: mostly dark (the slates' navy-to-black background), not black.</summary>
    Slate,
    /// <summary>The test video: ffmpeg's testsrc2, mostly bright saturated colour bars.</summary>
    Video,
    /// <summary>The desktop (the root window, painted <see cref="ScreenLooks.Root"/>) shows.</summary>
    Desktop,
    /// <summary>None of those.</summary>
    Other,
}

/// <summary>Tells <see cref="Look"/>s apart from sampled pixels (0xRRGGBB).</summary>
public static class ScreenLooks
{
    /// <summary>The colour the root window is painted, so that the desktop showing through is unmistakable.</summary>
    public const string RootColour = "#ff00ff";

    /// <summary><see cref="RootColour"/> as a pixel.</summary>
    public const uint Root = 0xFF00FF;

    /// <summary>
    /// The look of a sample. testsrc2 has a magenta bar of its own (a sixth of the picture, plus a checkerboard over
    /// it), so in a video sample the desktop is seen only when most of it is the root's colour; in any other sample
    /// a single point of it is the desktop showing through.
    /// </summary>
    public static Look Classify(ReadOnlySpan<uint> pixels)
    {
        int n = pixels.Length, magenta = 0, black = 0, dark = 0, saturated = 0;
        foreach (var pixel in pixels)
        {
            int r = (int)(pixel >> 16) & 0xFF, g = (int)(pixel >> 8) & 0xFF, b = (int)pixel & 0xFF;
            int max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
            if (r >= 250 && g <= 5 && b >= 250) magenta++;
            if (max <= 8) black++;
            if (max <= 70) dark++;
            if (max >= 180 && max - min >= 150) saturated++;
        }

        if (saturated * 2 >= n)
        {
            return magenta * 100 > n * 40 ? Look.Desktop : Look.Video;
        }

        if (magenta > 0) return Look.Desktop;
        if (black * 100 >= n * 98) return Look.Black;
        if (dark * 10 >= n * 6) return Look.Slate;
        return Look.Other;
    }
}
