using System.Text.Json;

namespace AmvScreening.Protocol;

/// <summary>The player's own HTTP API (player API key only).</summary>
public static class PlayerContract
{
    /// <summary>GET: the <see cref="PlayerShow"/>.</summary>
    public const string ShowPath = "/api/player/show";

    /// <summary>POST: the <see cref="ChangedFiles"/> the player found at show start.</summary>
    public const string ChangedFilesPath = "/api/preflight/changed";
}

/// <summary>Everything the player needs to run the show: the contest's name, the room (for the outro slates' QR code),
/// and the playlist in show order.</summary>
/// <param name="LoudnessTargetLufs">The integrated loudness every finalist, slate and show sound plays at (EBU R128:
/// -23 LUFS unless the contest sets another).</param>
public sealed record PlayerShow(
    string ContestName,
    RoomInfo Room,
    IReadOnlyList<PlaylistCategory> Categories,
    double LoudnessTargetLufs = Loudness.DefaultTargetLufs);

/// <summary>A category in show order, with its finalists in show order (disqualified entries left out).</summary>
public sealed record PlaylistCategory(int Id, string Name, IReadOnlyList<PlaylistEntry> Entries);

/// <summary>A finalist and its video file as imported (a relative path is relative to the player's media folder).</summary>
/// <param name="Checked">What the latest pre-flight report found of this finalist's file; null when no report names it.</param>
public sealed record PlaylistEntry(EntrySummary Entry, string? VideoPath, CheckedFile? Checked = null);

/// <summary>A finalist's file as the latest pre-flight check found it: the player levels its sound from
/// <see cref="Loudness"/> and warns when the file on disk no longer has the checked <see cref="Sha256"/>.</summary>
/// <param name="Status">The check's verdict: "ok", "warning" or "error".</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes; null when the check could not read it.</param>
/// <param name="Loudness">Null when the file could not be measured (no audio, unreadable).</param>
public sealed record CheckedFile(string Status, string? Sha256, long? SizeBytes, LoudnessMeasurement? Loudness)
{
    /// <summary>Whether a file of <paramref name="sizeBytes"/> bytes (and, when known, this SHA-256) is not the one
    /// checked: the size differs, or both checksums are known and differ.</summary>
    public bool Differs(long sizeBytes, string? sha256) =>
        (SizeBytes is { } size && size != sizeBytes) || (Sha256 is not null && sha256 is not null && Sha256 != sha256);
}

/// <summary>The finalists whose file on the player's disk is no longer the one their latest pre-flight check saw,
/// as the player found them at show start; each list replaces the previous one (empty: none changed).</summary>
public sealed record ChangedFiles(IReadOnlyList<ChangedFile> Files);

/// <summary>A finalist's file as it is now on the player's disk.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes; null when the size alone showed the change.</param>
public sealed record ChangedFile(int EntryId, long SizeBytes, string? Sha256 = null);

/// <summary>
/// What makes a <see cref="PlayerCommand"/> well-formed, in one place: the server refuses any other before sending it,
/// the player ignores any other it receives. Whether the entry named is one the show can use (a finalist in the running
/// order, a revealed winner) is for each side to judge from what it knows.
/// </summary>
public static class PlayerCommandRules
{
    /// <summary>Whether a command of this kind names an entry (and must).</summary>
    public static bool TakesEntry(PlayerCommandKind kind) => kind is PlayerCommandKind.JumpToEntry or PlayerCommandKind.ShowWinner;

    /// <summary>Whether a command of this kind names a prizegiving step (and must).</summary>
    public static bool TakesScope(PlayerCommandKind kind) => kind is PlayerCommandKind.ShowNominees or PlayerCommandKind.ShowPrize;

    /// <summary>The scopes a prizegiving command may name: nominees of a category; the prize of a category, Best In Show
    /// or one award.</summary>
    public static bool IsScopeOf(PlayerCommandKind kind, string scope) =>
        ResultsContract.Scopes.CategoryIdOf(scope) is not null
        || (kind == PlayerCommandKind.ShowPrize && (scope == ResultsContract.Scopes.BestInShow || ResultsContract.Scopes.AwardIdOf(scope) is not null));

    /// <summary>What is wrong with the command's form, in words a projectionist can read; null when it is well-formed.</summary>
    public static string? Problem(PlayerCommand? command) => command switch
    {
        null => "the command is missing (null).",
        { Id: var id } when id == Guid.Empty => "the command's id must not be the empty GUID.",
        { Kind: var kind } when !Enum.IsDefined(kind) => $"unknown command kind {(int)kind}.",
        { Kind: var kind, EntryId: null } when TakesEntry(kind) => $"{NameOf(kind)} needs an entryId.",
        { Kind: var kind, EntryId: not null } when !TakesEntry(kind) => $"{NameOf(kind)} takes no entryId.",
        { EntryId: <= 0 } => "entryId must be a positive entry id.",
        { Kind: var kind, Scope: null } when TakesScope(kind) => $"{NameOf(kind)} needs a scope.",
        { Kind: var kind, Scope: not null } when !TakesScope(kind) => $"{NameOf(kind)} takes no scope.",
        { Kind: var kind, Scope: { } scope } when !IsScopeOf(kind, scope) => kind == PlayerCommandKind.ShowNominees
            ? "the scope of showNominees is 'category:{id}'."
            : "the scope of showPrize is 'category:{id}', 'best-in-show' or 'award:{id}'.",
        _ => null,
    };

    /// <summary>The kind as it travels (<c>jumpToEntry</c>).</summary>
    public static string NameOf(PlayerCommandKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());
}
