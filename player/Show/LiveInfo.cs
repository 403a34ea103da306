using AmvScreening.Protocol;

namespace AmvScreening.Player.Show;

/// <summary>What the server tells the player while the show runs: the room (its code rotates) and the revealed
/// results. Written by the server link (pushes, and a fresh read after each reconnect), read by the sequencer.</summary>
public sealed class LiveInfo(RoomInfo room)
{
    private RoomInfo _room = room;
    private PublicResults _results = PublicResults.None;
    private int _votersOnline;

    public RoomInfo Room
    {
        get => Volatile.Read(ref _room);
        set => Volatile.Write(ref _room, value);
    }

    public PublicResults Results
    {
        get => Volatile.Read(ref _results);
        set => Volatile.Write(ref _results, value);
    }

    /// <summary>Phones connected to the show (pushed by the server about once a second).</summary>
    public int VotersOnline
    {
        get => Volatile.Read(ref _votersOnline);
        set => Volatile.Write(ref _votersOnline, value);
    }

    /// <summary>What the entry won, from the latest revealed results: its most recently revealed prize (a category's
    /// name, "Best In Show" or an award), or null when nothing it won has been revealed.</summary>
    public string? PrizeOf(int entryId)
    {
        var results = Results;
        var prizes = results.Categories.Where(c => c.Winner.Id == entryId).Select(c => (c.Name, c.RevealedAt))
            .Concat(results.BestInShow is { } best && best.Winner.Id == entryId ? [("Best In Show", best.RevealedAt)] : [])
            .Concat(results.Awards is { } awards ? awards.Awards.Where(a => a.Entry.Id == entryId).Select(a => (a.Name, awards.RevealedAt)) : []);
        return prizes.OrderByDescending(p => p.RevealedAt).Select(p => p.Name).FirstOrDefault();
    }
}
