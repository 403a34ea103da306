using AmvScreening.Protocol;

namespace AmvScreening.Player.Show;

/// <summary>What the server tells the player while the show runs: the room (its code rotates) and the revealed
/// results. Written by the server link (pushes, and a fresh read after each reconnect), read by the sequencer.</summary>
/// <remarks>The Take methods keep a value only if the show can use it (the slates draw from it): whatever arrives, an
/// unusable value is refused with the reason, and the last good one stays.</remarks>
public sealed class LiveInfo(RoomInfo room)
{
    /// <summary>Longer join URLs do not fit the outro slate's QR code.</summary>
    public const int MaxJoinUrlLength = 500;

    private RoomInfo _room = room;
    private PublicResults _results = PublicResults.None;
    private int _votersOnline;

    public RoomInfo Room
    {
        get => Volatile.Read(ref _room);
        private set => Volatile.Write(ref _room, value);
    }

    public PublicResults Results
    {
        get => Volatile.Read(ref _results);
        private set => Volatile.Write(ref _results, value);
    }

    /// <summary>Phones connected to the show (pushed by the server about once a second).</summary>
    public int VotersOnline
    {
        get => Volatile.Read(ref _votersOnline);
        private set => Volatile.Write(ref _votersOnline, value);
    }

    /// <summary>Keeps a new room; returns why it was refused, or null.</summary>
    public string? TakeRoom(RoomInfo? room)
    {
        if (room is not { Code.Length: > 0 and <= 64, JoinUrl.Length: > 0 and <= MaxJoinUrlLength }
            || room.Code.Any(char.IsControl)
            || !Uri.TryCreate(room.JoinUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return $"a room needs a code (1 to 64 characters) and an http(s) join URL of at most {MaxJoinUrlLength} characters.";
        }

        Room = room;
        return null;
    }

    /// <summary>Keeps new results; returns why they were refused, or null.</summary>
    public string? TakeResults(PublicResults? results)
    {
        var usable = results is { Categories: { } categories }
            && categories.All(c => c is { Name: not null } && IsUsable(c.Winner) && (c.Placings is null || c.Placings.All(p => p is not null && IsUsable(p.Entry))))
            && (results.BestInShow is null || IsUsable(results.BestInShow.Winner))
            && (results.Awards is null || results.Awards.Awards is { } awards && awards.All(a => a is { Name: not null } && IsUsable(a.Entry)));
        if (!usable)
        {
            return "results need every category, winner and award in full (no nulls).";
        }

        Results = results!;
        return null;
    }

    /// <summary>Keeps the number of phones connected; returns why it was refused, or null.</summary>
    public string? TakeVotersOnline(int count)
    {
        if (count < 0)
        {
            return "a count of phones cannot be negative.";
        }

        VotersOnline = count;
        return null;
    }

    /// <summary>What the entry won, from the latest revealed results: its most recently revealed prize (a category's
    /// name, "Best In Show" or an award), or null when nothing it won has been revealed.</summary>
    public string? PrizeOf(int entryId) => Results.PrizesOf(entryId).FirstOrDefault();

    /// <summary>An entry a slate can draw: every field there, no null among its editors and sources.</summary>
    private static bool IsUsable(EntrySummary? entry) =>
        entry is { Category: not null, Title: not null, MusicArtist: not null, MusicTitle: not null, Editors: { } editors, Sources: { } sources }
        && editors.All(e => e is not null) && sources.All(s => s is not null);
}
