namespace AmvScreening.Protocol;

/// <summary>The player's master volume, as the projectionist set it (volume keys, the booth remote). It applies on top
/// of each finalist's levelling gain and stays from item to item (docs/loudness.md).</summary>
/// <param name="VolumePercent">0 to <see cref="MaxPercent"/>; 100 plays every finalist at the contest's target loudness.</param>
/// <param name="Muted">Whether the sound is off (the volume is kept for when it comes back).</param>
public sealed record PlayerAudio(int VolumePercent, bool Muted)
{
    /// <summary>The loudest setting: a little above the target, for a room that swallows sound.</summary>
    public const int MaxPercent = 125;

    /// <summary>What one press of a volume key changes.</summary>
    public const int StepPercent = 5;

    /// <summary>Where the player starts: the target loudness, sound on.</summary>
    public static PlayerAudio Default { get; } = new(100, false);

    /// <summary>What is wrong with it, or null (the server refuses a report carrying another).</summary>
    public static string? Problem(PlayerAudio audio) =>
        audio.VolumePercent is < 0 or > MaxPercent ? $"audio.volumePercent must be from 0 to {MaxPercent}." : null;

    /// <summary>Whether <paramref name="kind"/> is a volume command (it acts at once, whatever is on screen).</summary>
    public static bool IsVolumeCommand(PlayerCommandKind kind) =>
        kind is PlayerCommandKind.VolumeUp or PlayerCommandKind.VolumeDown or PlayerCommandKind.Mute or PlayerCommandKind.Unmute;

    /// <summary>The setting after <paramref name="kind"/> (unchanged for a command that is not about volume). Up and
    /// down move in steps of <see cref="StepPercent"/> within 0…<see cref="MaxPercent"/> and leave mute as it is.</summary>
    public PlayerAudio After(PlayerCommandKind kind) => kind switch
    {
        PlayerCommandKind.VolumeUp => this with { VolumePercent = Math.Min(MaxPercent, VolumePercent + StepPercent) },
        PlayerCommandKind.VolumeDown => this with { VolumePercent = Math.Max(0, VolumePercent - StepPercent) },
        PlayerCommandKind.Mute => this with { Muted = true },
        PlayerCommandKind.Unmute => this with { Muted = false },
        _ => this,
    };
}
