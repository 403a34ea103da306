using System.Text.Json;
using AmvScreening.Protocol;

namespace AmvScreening.Player.Show;

/// <summary>What the player saves after each change, to resume after a crash or a restart.</summary>
/// <param name="Sequence">The last report's sequence: a restarted player reports above it.</param>
/// <param name="FinalistIndex">The finalist on screen or coming next (from 0); the count of finalists at the end card.</param>
/// <param name="EntryId">That finalist's entry (found again even if the playlist changed around it).</param>
/// <param name="InVideo">The finalist's video was on screen (or paused, or under a blackout or winner slate).</param>
/// <param name="PositionSeconds">Where in the video, when <paramref name="InVideo"/>.</param>
public sealed record PlayerState(
    long Sequence, int FinalistIndex, int? EntryId, ShowPhase Phase, bool InVideo, double PositionSeconds, DateTimeOffset SavedAt);

/// <summary>Files in the player's state folder: the saved state (player-state.json) and the last playlist read from
/// the server (show.json, used when the server cannot be reached at start). Writes are atomic: a temporary file,
/// then a rename over the old one, so a crash mid-write leaves the previous file whole.</summary>
public sealed class PlayerStateStore(string folder)
{
    private static readonly JsonSerializerOptions Json = new(PlayerApi.Json) { WriteIndented = true };
    private readonly Lock _lock = new();

    public string Folder { get; } = Path.GetFullPath(folder);

    public string StatePath => Path.Combine(Folder, "player-state.json");

    public string ShowPath => Path.Combine(Folder, "show.json");

    public PlayerState? LoadState() => Read<PlayerState>(StatePath);

    public void SaveState(PlayerState state) => Write(StatePath, state);

    public PlayerShow? LoadShow() => Read<PlayerShow>(ShowPath);

    public void SaveShow(PlayerShow show) => Write(ShowPath, show);

    private static T? Read<T>(string path) where T : class
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), Json) : null;
        }
        catch (JsonException)
        {
            return null; // unreadable: as if there were none
        }
    }

    private void Write<T>(string path, T value)
    {
        lock (_lock)
        {
            Directory.CreateDirectory(Folder);
            var temp = path + ".tmp";
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(value, Json));
            File.Move(temp, path, overwrite: true);
        }
    }
}
