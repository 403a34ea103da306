using AmvScreening.Protocol;

namespace AmvScreening.Player.Show;

/// <summary>
/// The gain that brings a finalist to the contest's target loudness (docs/loudness.md, "Levelling"): target minus the
/// file's integrated loudness, but never so much that the file's measured true peak would pass
/// <see cref="Loudness.MaxTruePeakDbtp"/>. A loud file is cut as far as it needs; a quiet one is raised only as far as
/// its peaks allow. No measurement (or one that cannot be right): 0 dB, the file as it is.
/// </summary>
public static class Levelling
{
    /// <summary>The most the player raises a file: what libvlc's equalizer reaches (see VlcEngine.PreampFor).</summary>
    public const double MaxBoostDb = 15.9;

    /// <summary>The most the player lowers a file (a file measured louder than target + 20 LU is broken anyway).</summary>
    public const double MaxCutDb = 20;

    /// <summary>The gain in dB for a file measured as <paramref name="measured"/>, always finite, from
    /// -<see cref="MaxCutDb"/> to +<see cref="MaxBoostDb"/>.</summary>
    public static double GainDb(LoudnessMeasurement? measured, double targetLufs)
    {
        if (measured is null || !Loudness.IsPlausible(measured) || !double.IsFinite(targetLufs))
        {
            return 0;
        }

        var toTarget = targetLufs - measured.IntegratedLufs;
        var peakAllows = Loudness.MaxTruePeakDbtp - measured.TruePeakDbtp;
        return Math.Clamp(Math.Min(toTarget, peakAllows), -MaxCutDb, MaxBoostDb);
    }
}
