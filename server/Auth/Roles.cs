namespace AmvScreening.Server.Auth;

/// <summary>Who may do what. Voters are anonymous; everything not public needs one of these roles.</summary>
public static class Roles
{
    public const string Coordinator = "coordinator";
    public const string Booth = "booth";
    public const string Player = "player";
    /// <summary>A judge: one account per person (docs/entries.md, "Judges"), its own cookie and sign-in.</summary>
    public const string Judge = "judge";

    /// <summary>Authorization policy names.</summary>
    public static class Policies
    {
        /// <summary>Coordinators only: contest data, results, room code.</summary>
        public const string Coordinator = "coordinator";
        /// <summary>Coordinators and the booth: reading the show, commanding the player.</summary>
        public const string Staff = "staff";
        /// <summary>The player, with its API key.</summary>
        public const string Player = "player";
        /// <summary>Coordinators and the player: the room code (the player shows it on the outro slates).</summary>
        public const string CoordinatorOrPlayer = "coordinator-or-player";
        /// <summary>Staff and the player: the QR of the screen code (slates, the full-screen QR page).</summary>
        public const string StaffOrPlayer = "staff-or-player";
        /// <summary>A judge, signed in with the judge cookie.</summary>
        public const string Judge = "judge";
        /// <summary>A judge or a coordinator: an entry's video.</summary>
        public const string JudgeOrCoordinator = "judge-or-coordinator";
    }

    /// <summary>Authentication scheme names.</summary>
    public static class Schemes
    {
        public const string StaffCookie = "staff-cookie";
        public const string PlayerApiKey = "player-api-key";
        public const string JudgeCookie = "judge-cookie";
        /// <summary>Picks the API-key scheme when the request carries the header, the cookie otherwise.</summary>
        public const string Default = "staff-or-player";
    }
}
