namespace AmvScreening.Protocol;

/// <summary>The player's own HTTP API (player API key only).</summary>
public static class PlayerContract
{
    /// <summary>GET: the <see cref="PlayerShow"/>.</summary>
    public const string ShowPath = "/api/player/show";
}

/// <summary>Everything the player needs to run the show: the contest's name, the room (for the outro slates' QR code),
/// and the playlist in show order.</summary>
public sealed record PlayerShow(string ContestName, RoomInfo Room, IReadOnlyList<PlaylistCategory> Categories);

/// <summary>A category in show order, with its finalists in show order (disqualified entries left out).</summary>
public sealed record PlaylistCategory(int Id, string Name, IReadOnlyList<PlaylistEntry> Entries);

/// <summary>A finalist and its video file as imported (a relative path is relative to the player's media folder).</summary>
public sealed record PlaylistEntry(EntrySummary Entry, string? VideoPath);
