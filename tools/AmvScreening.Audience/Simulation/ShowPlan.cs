namespace AmvScreening.Audience.Simulation;

/// <summary>
/// The timing of one category as the simulation plays it, as the player would: a lead-in (phones on the poster may
/// join), then per entry an intro slate, its video (voting on it opens) and an outro slate with the QR code.
/// Times are offsets from the start of the simulation.
/// </summary>
public sealed record ShowPlan(int Entries, TimeSpan Intro, TimeSpan Video, TimeSpan Outro, TimeSpan LeadIn, TimeSpan Tail)
{
    /// <summary>Six finalists of a typical 3½-minute AMV: about 25 minutes.</summary>
    public static ShowPlan Default { get; } = new(6, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(210), TimeSpan.FromSeconds(20),
        TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(90));

    public TimeSpan Item => Intro + Video + Outro;

    public TimeSpan IntroStart(int entry) => LeadIn + entry * Item;

    public TimeSpan VideoStart(int entry) => IntroStart(entry) + Intro;

    public TimeSpan OutroStart(int entry) => VideoStart(entry) + Video;

    /// <summary>When the last outro ends.</summary>
    public TimeSpan ShowEnd => IntroStart(Entries);

    /// <summary>When the simulation ends: a while after the show, for the last votes.</summary>
    public TimeSpan End => ShowEnd + Tail;

    /// <summary>The entry a phone shows as "now playing" at <paramref name="at"/>: the last whose video has started
    /// (its outro and the next intro still show it), or -1 before the first video.</summary>
    public int ShownAt(TimeSpan at)
    {
        var shown = -1;
        for (var entry = 0; entry < Entries && VideoStart(entry) <= at; entry++)
        {
            shown = entry;
        }

        return shown;
    }
}
