namespace AmvScreening.Player.Show;

/// <summary>How long each slate stays up. Defaults as a contest runs them; the CLI overrides some.</summary>
public sealed record ShowOptions
{
    public TimeSpan Intro { get; init; } = TimeSpan.FromSeconds(8);
    public TimeSpan Outro { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan CategoryCard { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The intermission card stays this long unless the projectionist skips it.</summary>
    public TimeSpan Intermission { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan Difficulties { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>A winner slate, before the show goes back to what was on.</summary>
    public TimeSpan Winner { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>The end card and the blackout are held: shown again each time this runs out.</summary>
    public TimeSpan Hold { get; init; } = TimeSpan.FromHours(1);
    /// <summary>When set, the end card stays this long and then the show quits (a demo); otherwise it is held.</summary>
    public TimeSpan? QuitAfterEndCard { get; init; }
    /// <summary>An item not on screen by then (the engine never said Playing) counts as failed.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>The line under the difficulties slate's headline (which already says "Technical difficulties").</summary>
    public string DifficultiesMessage { get; init; } = "The show goes on in a moment.";
    /// <summary>The line under the intermission's headline (which already says "Intermission"); empty: the template's
    /// own line.</summary>
    public string IntermissionMessage { get; init; } = "";
}
