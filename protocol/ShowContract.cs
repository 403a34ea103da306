using System.Text.Json.Serialization;

namespace AmvScreening.Protocol;

/// <summary>The SignalR hub's address and the names of its groups. docs/protocol.md describes the whole contract.</summary>
public static class ShowHubContract
{
    /// <summary>Path of the show hub on the server.</summary>
    public const string Path = "/hubs/show";

    /// <summary>Header the player sends its API key in (on the WebSocket upgrade and on HTTP calls).</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The screen view connects as <c>/hubs/show?audience=screen</c>: it hears what phones hear but is not
    /// counted among the voters online.</summary>
    public const string AudienceQuery = "audience";

    public const string ScreenAudience = "screen";

    /// <summary>The audiences; every connection joins exactly one, from how it authenticated.</summary>
    public static class Groups
    {
        public const string Players = "players";
        public const string Voters = "voters";
        public const string Booth = "booth";
        public const string Coordinators = "coordinators";
    }
}

/// <summary>What is on the projector screen.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ShowPhase>))]
public enum ShowPhase
{
    /// <summary>Nothing running (before the show, or the player is not connected yet).</summary>
    Idle,
    /// <summary>A category title card.</summary>
    CategoryCard,
    /// <summary>The slate before a finalist: category, title, editors, music, sources.</summary>
    IntroSlate,
    /// <summary>The finalist's video. Voting on the entry opens the first time this phase starts.</summary>
    Video,
    /// <summary>The slate after a finalist: title again, "vote now", the QR code.</summary>
    OutroSlate,
    /// <summary>Playback paused by the projectionist (the item stays on screen).</summary>
    Paused,
    /// <summary>The projectionist blacked out the screen.</summary>
    Blackout,
    /// <summary>The intermission card.</summary>
    Intermission,
    /// <summary>A "technical difficulties" slate shown instead of a file that cannot play.</summary>
    Difficulties,
    /// <summary>A winner slate during the reveal (a category's winner, with its placings when the contest shows them; Best
    /// In Show; an award).</summary>
    Winner,
    /// <summary>The end card: the show is over.</summary>
    EndCard,
    /// <summary>The prizegiving's nominees slate: every finalist of a category, in running order (docs/prizegiving.md).</summary>
    Nominees,
}

/// <summary>
/// The player's report of a change of what is on screen (player → server, <see cref="IShowHub.ReportOnScreen"/>).
/// </summary>
/// <param name="Sequence">Strictly increasing across the player's whole life, restarts included; the server ignores
/// a report whose sequence is not greater than the last one it accepted, so a late report never overrides a newer one.</param>
/// <param name="Phase">What is on screen.</param>
/// <param name="EntryId">The finalist concerned (slates, video, difficulties, winner), or null.</param>
/// <param name="CategoryId">The category concerned (category card and every finalist phase), or null.</param>
/// <param name="StartedAt">When the item appeared on screen (UTC).</param>
/// <param name="DurationSeconds">Length of the item, when known.</param>
/// <param name="PositionSeconds">Position within the item when the report was made.</param>
/// <param name="Audio">The master volume now (a change of it is reported like a change of screen); null from a player
/// that does not say.</param>
/// <param name="Scope">For the prizegiving's slates: what a <see cref="ShowPhase.Nominees"/> slate lists
/// (<c>category:{id}</c>) or what a <see cref="ShowPhase.Winner"/> slate announces (<c>category:{id}</c>,
/// <c>best-in-show</c>, <c>award:{id}</c>; <see cref="ResultsContract.Scopes"/>); null otherwise.</param>
public sealed record OnScreenReport(
    long Sequence,
    ShowPhase Phase,
    int? EntryId,
    int? CategoryId,
    DateTimeOffset StartedAt,
    double? DurationSeconds,
    double PositionSeconds,
    PlayerAudio? Audio = null,
    string? Scope = null);

/// <summary>Public description of a finalist, as phones and consoles show it.</summary>
public sealed record EntrySummary(
    int Id,
    int CategoryId,
    string Category,
    string Title,
    IReadOnlyList<string> Editors,
    string MusicArtist,
    string MusicTitle,
    IReadOnlyList<string> Sources,
    string? ContentNote);

/// <summary>The show as everyone sees it (server → all clients, <see cref="IShowClient.ShowChanged"/>).</summary>
/// <param name="Sequence">The sequence of the player report this state comes from (0 before any report).</param>
/// <param name="Phase">What is on screen.</param>
/// <param name="Entry">The finalist on screen, when there is one.</param>
/// <param name="CategoryId">The category on screen, when there is one.</param>
/// <param name="StartedAt">When the item appeared on screen.</param>
/// <param name="DurationSeconds">Length of the item, when known.</param>
/// <param name="PositionSeconds">Position within the item at <paramref name="ReportedAt"/>.</param>
/// <param name="ReportedAt">When the server accepted the report.</param>
/// <param name="Projector">Whether the projector is reporting: <see cref="ProjectorStatus.Live"/> once a connected player
/// has reported since it (and the server) last started; <see cref="ProjectorStatus.Lost"/> while no player is connected,
/// and after a server restart until the player reports again. While lost, the rest is only what was last known.</param>
/// <param name="Audio">The player's master volume as last reported (the booth panel shows it); null until a player
/// reported it.</param>
/// <param name="Scope">On a prizegiving slate, what it lists or announces (<see cref="OnScreenReport.Scope"/>); null
/// otherwise (and after a server restart, until the player reports again).</param>
public sealed record ShowState(
    long Sequence,
    ShowPhase Phase,
    EntrySummary? Entry,
    int? CategoryId,
    DateTimeOffset? StartedAt,
    double? DurationSeconds,
    double PositionSeconds,
    DateTimeOffset? ReportedAt,
    ProjectorStatus Projector,
    PlayerAudio? Audio = null,
    string? Scope = null)
{
    /// <summary>The state before the player has reported anything.</summary>
    public static ShowState Idle { get; } = new(0, ShowPhase.Idle, null, null, null, null, 0, null, ProjectorStatus.Lost);
}

/// <summary>Whether <see cref="ShowState"/> is what the projector shows now (<c>live</c>) or only what it last showed
/// before it stopped reporting (<c>lost</c>: the player is gone or has not reported since the server started).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProjectorStatus>))]
public enum ProjectorStatus { Live, Lost }

/// <summary>What the projectionist asks the player to do.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PlayerCommandKind>))]
public enum PlayerCommandKind
{
    Pause,
    Resume,
    Next,
    Previous,
    Restart,
    SkipSlate,
    BlackoutOn,
    BlackoutOff,
    JumpToEntry,
    ShowWinner,
    /// <summary>Master volume one step up (<see cref="PlayerAudio"/>); acts at once, whatever is on screen.</summary>
    VolumeUp,
    VolumeDown,
    Mute,
    Unmute,
    /// <summary>The prizegiving's nominees slate of the category in <see cref="PlayerCommand.Scope"/> (<c>category:{id}</c>).</summary>
    ShowNominees,
    /// <summary>The prizegiving's slate of the prize in <see cref="PlayerCommand.Scope"/> (<c>category:{id}</c> with its
    /// placings when the contest shows them, <c>best-in-show</c>, <c>award:{id}</c>), once it is revealed.</summary>
    ShowPrize,
}

/// <summary>A command from the booth console to the player (server → players, <see cref="IShowClient.PlayerCommand"/>).
/// What makes one well-formed is <see cref="PlayerCommandRules"/>.</summary>
/// <param name="Id">Chosen by the sender (not the empty GUID); the player logs it with the command.</param>
/// <param name="Kind">What to do.</param>
/// <param name="EntryId">The entry, for <see cref="PlayerCommandKind.JumpToEntry"/> and <see cref="PlayerCommandKind.ShowWinner"/>
/// (and only for them).</param>
/// <param name="Scope">The prizegiving step, for <see cref="PlayerCommandKind.ShowNominees"/> and
/// <see cref="PlayerCommandKind.ShowPrize"/> (and only for them): a <see cref="ResultsContract.Scopes"/> value.</param>
public sealed record PlayerCommand(Guid Id, PlayerCommandKind Kind, int? EntryId = null, string? Scope = null);

/// <summary>Methods the server calls on clients. Each client receives the ones meant for its group.</summary>
public interface IShowClient
{
    /// <summary>To everyone: what is on screen changed, or the projector stopped reporting (<see cref="ShowState.Projector"/>).</summary>
    Task ShowChanged(ShowState state);

    /// <summary>To players: a projectionist's command.</summary>
    Task PlayerCommand(PlayerCommand command);

    /// <summary>To players, booth and coordinators (never voters): the room code was rotated.</summary>
    Task RoomChanged(RoomInfo room);

    /// <summary>To players, booth and coordinators: how many phones are connected (at most once a second).</summary>
    Task VotersOnline(int count);

    /// <summary>To everyone: an entry or category opened or closed for votes, the Best In Show ballot changed, or the
    /// contest was replaced: one numbered change (<see cref="VotingChange"/>).</summary>
    Task VotingChanged(VotingChange change);

    /// <summary>To everyone: a result was revealed (a category, Best In Show, the awards); carries all that is public now.</summary>
    Task ResultsRevealed(PublicResults results);

    /// <summary>To coordinators only: votes, paper counts, decisions, awards or reveals changed (at most twice a second).</summary>
    Task TallyChanged(Tally tally);

    /// <summary>To booth and coordinators: votes cast per finalist and voters per category, with every tally change
    /// (never a score).</summary>
    Task TurnoutChanged(Turnout turnout);

    /// <summary>To booth and coordinators: a player connected to the hub, or the last one went away.</summary>
    Task PlayerPresence(PlayerPresence presence);
}

/// <summary>Methods clients call on the server, with the roles allowed to call them.</summary>
public interface IShowHub
{
    /// <summary>Anyone: the current show state.</summary>
    Task<ShowState> GetShow();

    /// <summary>Anyone: what has been revealed, as <c>GET /api/results</c> answers (for a client already connected, one
    /// request less).</summary>
    Task<PublicResults> GetResults();

    /// <summary>Player only: what is on screen changed. Returns the state the server now holds.</summary>
    Task<ShowState> ReportOnScreen(OnScreenReport report);

    /// <summary>Coordinator or booth: send a command to the player(s). Refused (nothing sent) unless well-formed
    /// (<see cref="PlayerCommandRules"/>), a jump names a finalist in the show and a winner slate a result already revealed.</summary>
    Task SendPlayerCommand(PlayerCommand? command);

    /// <summary>Coordinator or booth: whether a player is connected now.</summary>
    Task<PlayerPresence> GetPlayerPresence();
}

/// <summary>Hub method names as strings, for clients that call by name (HubConnection.InvokeAsync, the JS client).</summary>
public static class ShowHubMethods
{
    public const string GetShow = nameof(IShowHub.GetShow);
    public const string GetResults = nameof(IShowHub.GetResults);
    public const string ReportOnScreen = nameof(IShowHub.ReportOnScreen);
    public const string SendPlayerCommand = nameof(IShowHub.SendPlayerCommand);
    public const string GetPlayerPresence = nameof(IShowHub.GetPlayerPresence);
    public const string ShowChanged = nameof(IShowClient.ShowChanged);
    public const string PlayerCommand = nameof(IShowClient.PlayerCommand);
    public const string RoomChanged = nameof(IShowClient.RoomChanged);
    public const string VotingChanged = nameof(IShowClient.VotingChanged);
    public const string VotersOnline = nameof(IShowClient.VotersOnline);
    public const string ResultsRevealed = nameof(IShowClient.ResultsRevealed);
    public const string TallyChanged = nameof(IShowClient.TallyChanged);
    public const string TurnoutChanged = nameof(IShowClient.TurnoutChanged);
    public const string PlayerPresence = nameof(IShowClient.PlayerPresence);
}

/// <summary>Whether the player is connected to the hub (server → booth and coordinators, <see cref="IShowClient.PlayerPresence"/>;
/// also <see cref="IShowHub.GetPlayerPresence"/>).</summary>
/// <param name="Connected">At least one player connection is open.</param>
/// <param name="Since">When it last changed (UTC); null when no player has connected since the server started.</param>
public sealed record PlayerPresence(bool Connected, DateTimeOffset? Since)
{
    public static PlayerPresence Never { get; } = new(false, null);
}

/// <summary>The room code and the URL phones join at (<c>{public base URL}/v/{code}</c>).</summary>
public sealed record RoomInfo(string Code, string JoinUrl);

/// <summary>Whether a category takes votes: <c>pending</c> (only the entries already shown), <c>open</c> (all its
/// entries, opened by hand), <c>closed</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CategoryVotingStatus>))]
public enum CategoryVotingStatus { Pending, Open, Closed }

[JsonConverter(typeof(JsonStringEnumConverter<BallotStatus>))]
public enum BallotStatus { NotOpen, Open, Closed }

/// <summary>Voting in one category: its status, when it closes by itself (if set), and the entries that take votes.</summary>
public sealed record CategoryVoting(int CategoryId, string Name, CategoryVotingStatus Status, DateTimeOffset? ClosesAt, IReadOnlyList<EntrySummary> VotableEntries);

/// <summary>What phones may vote on now (GET /api/voting; changes come as <see cref="IShowClient.VotingChanged"/>).</summary>
/// <param name="RequireCards">Only phones that joined with a ballot card vote (the others follow the show).</param>
/// <param name="Version">Grows by one with each change pushed (<see cref="VotingChange.Version"/>).</param>
/// <param name="ContestName">The contest's own name (public: the poster and the slates show it), for the phones' header.</param>
public sealed record VotingSnapshot(
    int ScoreMin,
    int ScoreMax,
    string BestInShowMethod,
    BallotStatus BestInShow,
    IReadOnlyList<CategoryVoting> Categories,
    bool RequireCards = false,
    long Version = 0,
    string? ContestName = null);
