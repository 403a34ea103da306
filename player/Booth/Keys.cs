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
    };

    /// <summary>What a key does with <paramref name="phase"/> on screen: space resumes when paused, b lifts a
    /// blackout. Null for a key that is not a command.</summary>
    public static PlayerCommandKind? ForKey(char key, ShowPhase phase) => Map.TryGetValue(char.ToLowerInvariant(key), out var kind)
        ? (kind, phase) switch
        {
            (PlayerCommandKind.Pause, ShowPhase.Paused) => PlayerCommandKind.Resume,
            (PlayerCommandKind.BlackoutOn, ShowPhase.Blackout) => PlayerCommandKind.BlackoutOff,
            _ => kind,
        }
        : null;

    /// <summary>One line per key, for the panel and the docs.</summary>
    public const string Help = "space pause/resume · n next · p previous · r restart · s skip slate · b blackout · j jump · q quit";
}
