using AmvScreening.Player.Show;
using AmvScreening.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AmvScreening.Player.Booth;

/// <summary>
/// Keys typed in the projector window: the same map as the booth terminal (<see cref="Keys"/>). The projector shows
/// no prompt, so quitting (q, or closing the window) asks to be repeated within <see cref="QuitWindow"/>, and j (which
/// asks for the finalist's number) works in the booth terminal and the booth remote only. The request to repeat the
/// quit goes to the player's log (in the booth, the panel's recent lines).
/// </summary>
public sealed class ProjectorKeys(ShowSequencer sequencer, TimeProvider? clock = null, ILogger? logger = null)
{
    public static readonly TimeSpan QuitWindow = TimeSpan.FromSeconds(3);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private DateTimeOffset? _quitAsked;

    public void OnKey(char key)
    {
        if (char.ToLowerInvariant(key) == Keys.Quit)
        {
            OnQuitRequested();
        }
        else if (Keys.ForKey(key, sequencer.Current?.Phase ?? ShowPhase.Idle, sequencer.Audio.Muted) is { } kind && kind != PlayerCommandKind.JumpToEntry)
        {
            sequencer.Post(new PlayerCommand(Guid.NewGuid(), kind));
        }
    }

    /// <summary>q or the window's close: the second within <see cref="QuitWindow"/> quits the show.</summary>
    public void OnQuitRequested()
    {
        var now = _clock.GetUtcNow();
        if (_quitAsked is { } asked && now - asked <= QuitWindow)
        {
            sequencer.Quit();
        }
        else
        {
            _quitAsked = now;
            _logger.LogInformation("Quit? Press q again within {Seconds:0} s to end the show.", QuitWindow.TotalSeconds);
        }
    }
}
