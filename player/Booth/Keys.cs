using AmvScreening.Protocol;

namespace AmvScreening.Player.Booth;

/// <summary>The projectionist's keys, shared by the booth terminal and the projector window.</summary>
public static class Keys
{
    /// <summary>Quits the show (after a confirmation).</summary>
    public const char Quit = 'q';

    /// <summary>Key → command. Space and b are toggles (<see cref="ForKey"/>); j asks for the finalist's number.</summary>
    public static IReadOnlyDictionary<char, PlayerCommandKind> Map { get; } = new Dictionary<char, PlayerCommandKind>
    {
        [' '] = PlayerCommandKind.Pause,
        ['n'] = PlayerCommandKind.Next,
        ['p'] = PlayerCommandKind.Previous,
        ['r'] = PlayerCommandKind.Restart,
        ['s'] = PlayerCommandKind.SkipSlate,
        ['b'] = PlayerCommandKind.BlackoutOn,
        ['j'] = PlayerCommandKind.JumpToEntry,
        // Volume: + and = (the same key unshifted, and the keypad's +), - (and the keypad's -), m mutes and unmutes.
        ['+'] = PlayerCommandKind.VolumeUp,
        ['='] = PlayerCommandKind.VolumeUp,
        ['-'] = PlayerCommandKind.VolumeDown,
        ['m'] = PlayerCommandKind.Mute,
    };

    /// <summary>What a key does with <paramref name="phase"/> on screen and the sound <paramref name="muted"/> or not:
    /// space resumes when paused, b lifts a blackout, m unmutes when muted. Null for a key that is not a command.</summary>
    public static PlayerCommandKind? ForKey(char key, ShowPhase phase, bool muted = false) => Map.TryGetValue(char.ToLowerInvariant(key), out var kind)
        ? (kind, phase, muted) switch
        {
            (PlayerCommandKind.Pause, ShowPhase.Paused, _) => PlayerCommandKind.Resume,
            (PlayerCommandKind.BlackoutOn, ShowPhase.Blackout, _) => PlayerCommandKind.BlackoutOff,
            (PlayerCommandKind.Mute, _, true) => PlayerCommandKind.Unmute,
            _ => kind,
        }
        : null;

    /// <summary>One line per key, for the panel and the docs.</summary>
    public const string Help = "space pause/resume · n next · p previous · r restart · s skip slate · b blackout · j jump · +/- volume · m mute · q quit";
}
