namespace AmvScreening.Protocol;

/// <summary>A file's loudness as EBU R128 / ITU-R BS.1770 measures it over the whole file (docs/loudness.md).</summary>
/// <param name="IntegratedLufs">Integrated loudness, LUFS.</param>
/// <param name="RangeLu">Loudness range, LU.</param>
/// <param name="TruePeakDbtp">True peak, dBTP.</param>
public sealed record LoudnessMeasurement(double IntegratedLufs, double RangeLu, double TruePeakDbtp);

/// <summary>The loudness figures every part agrees on.</summary>
public static class Loudness
{
    /// <summary>EBU R128's programme target.</summary>
    public const double DefaultTargetLufs = -23;

    /// <summary>The quietest target a contest may set: below it levelling would mostly cut (quiet rooms, cinema
    /// dialogue levels).</summary>
    public const int MinTargetLufs = -31;

    /// <summary>The loudest target a contest may set (streaming platforms' -14): above it nearly every finalist would
    /// need a boost its true peak does not allow.</summary>
    public const int MaxTargetLufs = -14;

    /// <summary>The highest true peak levelling may raise a file to.</summary>
    public const double MaxTruePeakDbtp = -1;

    /// <summary>The range a measurement's figures may take: anything outside is not a measurement (a silent file
    /// measures -70 LUFS, ebur128's gate; nothing digital peaks above +20 dBTP).</summary>
    public static bool IsPlausible(LoudnessMeasurement m) =>
        m.IntegratedLufs is >= -100 and <= 10 && m.RangeLu is >= 0 and <= 100 && m.TruePeakDbtp is >= -200 and <= 20;
}
