using System.ComponentModel.DataAnnotations;

namespace AmvScreening.Server.Infrastructure;

/// <summary>Server settings, section "Amv" (environment: Amv__DataDirectory, Amv__Auth__CoordinatorPassword, …).</summary>
public sealed class AmvOptions
{
    public const string Section = "Amv";

    /// <summary>Folder of the SQLite database (amv.db). Created if missing.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Base URL phones reach the server at (the join URL is {base}/v/{room code}). Overrides the contest's own
    /// value when set; when neither is set, the URL of the request is used.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Folder that relative video paths of finalists are resolved against. Default: {DataDirectory}/media.</summary>
    public string? MediaRoot { get; set; }

    /// <summary>A contest file (.json or .csv) imported at start-up when the database has no finalists yet.</summary>
    public string? ImportOnFirstStart { get; set; }

    public AuthOptions Auth { get; set; } = new();

    public VotingLimits Voting { get; set; } = new();

    public FlagOptions Flags { get; set; } = new();

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, "amv.db"));

    public string MediaRootPath => Path.GetFullPath(MediaRoot ?? Path.Combine(DataDirectory, "media"));
}

/// <summary>Secrets. Each one left unset is generated at first start, printed once and stored hashed.</summary>
public sealed class AuthOptions
{
    /// <summary>Coordinator sign-in password (at least 8 characters).</summary>
    [MinLength(8)]
    public string? CoordinatorPassword { get; set; }

    /// <summary>Booth (projectionist) sign-in password (at least 8 characters).</summary>
    [MinLength(8)]
    public string? BoothPassword { get; set; }

    /// <summary>API key the player sends in the X-Api-Key header (at least 16 characters).</summary>
    [MinLength(16)]
    public string? PlayerApiKey { get; set; }

    /// <summary>How long a staff sign-in lasts without activity.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}

/// <summary>Request limits of the voting API. Voters are told apart by their token, never by address: a whole room
/// behind one convention Wi-Fi address must never reach the per-address cap.</summary>
public sealed class VotingLimits
{
    /// <summary>Requests one voter token may make in a burst.</summary>
    [Range(1, 10_000)]
    public int PerVoterBurst { get; set; } = 30;

    /// <summary>Requests one voter token gets back per minute once the burst is spent.</summary>
    [Range(1, 100_000)]
    public int PerVoterPerMinute { get; set; } = 120;

    /// <summary>Phones that may join (mint voter tokens) at once from one address. A whole hall joins through one
    /// convention Wi-Fi address when the QR code appears, so this only stops a flood: a script minting voters is not
    /// refused but flagged (docs/ballot-integrity.md).</summary>
    [Range(1, 1_000_000)]
    public int PerAddressJoinBurst { get; set; } = 10_000;

    /// <summary>Joins per minute from one address once the burst is spent (the flood guard's refill).</summary>
    [Range(1, 10_000_000)]
    public int PerAddressJoinsPerMinute { get; set; } = 6_000;

    /// <summary>Coarse cap of API requests per second from one address (a flood, not a room).</summary>
    [Range(1, 1_000_000)]
    public int PerAddressPerSecond { get; set; } = 20_000;
}

/// <summary>How stuffed ballots are flagged in open mode (docs/ballot-integrity.md).</summary>
public sealed class FlagOptions
{
    /// <summary>The fewest voters that make a flagged cluster.</summary>
    [Range(2, 1_000_000)]
    public int MinVoters { get; set; } = 10;

    /// <summary>For simulations only: the rules' time thresholds are divided by this, for an audience simulation
    /// that runs this many times faster than life (tools/AmvScreening.Audience --time-scale). Leave it at 1 for a show.</summary>
    [Range(1.0, 1000.0)]
    public double TimeScale { get; set; } = 1;
}
