using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Infrastructure;

/// <summary>Server settings, section "Amv" (environment: Amv__DataDirectory, Amv__Auth__CoordinatorPassword, …).
/// Every setting is checked at start (<see cref="AmvSettings"/>): the server refuses to start with a bad one, naming it.
/// In the messages below, {0} is the setting's full name, e.g. Amv:Auth:CoordinatorPassword.</summary>
public sealed class AmvOptions
{
    public const string Section = "Amv";

    /// <summary>Folder of the SQLite database (amv.db). Created if missing.</summary>
    [Required(ErrorMessage = "{0} must name a folder.")]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Base URL phones reach the server at (the join URL is {base}/v/{room code}). Overrides the contest's own
    /// value when set; when neither is set, the URL of the request is used.</summary>
    [HttpUrl]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Folder that relative video paths of finalists are resolved against. Default: {DataDirectory}/media.</summary>
    public string? MediaRoot { get; set; }

    /// <summary>The coordinator's slate templates (the player's <c>--templates</c> folder), for the reveal console's
    /// previews (docs/prizegiving.md). Default: the templates shipped with the player.</summary>
    public string? SlateTemplates { get; set; }

    /// <summary>A contest file (.json or .csv) imported at start-up when the database has no finalists yet.</summary>
    public string? ImportOnFirstStart { get; set; }

    /// <summary>Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed: addresses or networks
    /// (CIDR), separated by commas or spaces, e.g. "127.0.0.1, 192.168.1.0/24". Default: loopback (a proxy on this
    /// machine).</summary>
    [Networks]
    public string? TrustedProxies { get; set; }

    [ValidateObjectMembers]
    public AuthOptions Auth { get; set; } = new();

    [ValidateObjectMembers]
    public VotingLimits Voting { get; set; } = new();

    [ValidateObjectMembers]
    public FlagOptions Flags { get; set; } = new();

    [ValidateObjectMembers]
    public EntryPortalLimits Entries { get; set; } = new();

    [ValidateObjectMembers]
    public AmvScreening.Server.Entries.Checks.CheckOptions Checks { get; set; } = new();

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, "amv.db"));

    public string MediaRootPath => Path.GetFullPath(MediaRoot ?? Path.Combine(DataDirectory, "media"));

    /// <summary><see cref="TrustedProxies"/> parsed, or loopback when it is not set.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxyNetworks => string.IsNullOrWhiteSpace(TrustedProxies)
        ? [IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("::1/128")]
        : [.. NetworksAttribute.Parse(TrustedProxies)];
}

/// <summary>Secrets. Each one left unset is generated at first start (see docs: "Security model") and stored hashed.</summary>
public sealed class AuthOptions
{
    /// <summary>Coordinator sign-in password (at least 8 characters).</summary>
    [MinLength(8, ErrorMessage = "{0} must be at least {1} characters.")]
    public string? CoordinatorPassword { get; set; }

    /// <summary>Booth (projectionist) sign-in password (at least 8 characters).</summary>
    [MinLength(8, ErrorMessage = "{0} must be at least {1} characters.")]
    public string? BoothPassword { get; set; }

    /// <summary>API key the player sends in the X-Api-Key header (at least 16 characters).</summary>
    [MinLength(16, ErrorMessage = "{0} must be at least {1} characters.")]
    public string? PlayerApiKey { get; set; }

    /// <summary>How long a staff sign-in lasts without activity.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00", ErrorMessage = "{0} must be between {1} and {2} (d.hh:mm:ss).")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}

/// <summary>Request limits of the public entry portal (docs/entries.md), per client address: entrants submit from home,
/// weeks before the show, so an address is close enough to a person for a flood guard.</summary>
public sealed class EntryPortalLimits
{
    /// <summary>Page loads and reads (the rules, an entry page polling its file's check) in a burst.</summary>
    [Range(1, 1_000_000, ErrorMessage = "{0} must be a whole number from {1} to {2}.")]
    public int ReadBurst { get; set; } = 60;

    /// <summary>Reads per minute once the burst is spent.</summary>
    [Range(1, 1_000_000, ErrorMessage = "{0} must be a whole number from {1} to {2}.")]
    public int ReadsPerMinute { get; set; } = 60;

    /// <summary>Submissions and withdrawals in a burst.</summary>
    [Range(1, 1_000_000, ErrorMessage = "{0} must be a whole number from {1} to {2}.")]
    public int SubmitBurst { get; set; } = 10;

    /// <summary>Submissions and withdrawals per hour once the burst is spent.</summary>
    [Range(1, 1_000_000, ErrorMessage = "{0} must be a whole number from {1} to {2}.")]
    public int SubmitsPerHour { get; set; } = 20;
}

/// <summary>Request limits of the voting API. Voters are told apart by their token, never by address: a whole room
/// behind one convention Wi-Fi address must never reach the per-address cap.</summary>
public sealed class VotingLimits
{
    /// <summary>Requests one voter token may make in a burst.</summary>
    [Range(1, 10_000, ErrorMessage = "{0} must be a whole number from {1} to {2}.")]
    public int PerVoterBurst { get; set; } = 30;

    /// <summary>Requests one voter token gets back per minute once the burst is spent.</summary>
    [Range(1, 100_000, ErrorMessage = "{0} must be a whole number from {1} to {2}.")]
    public int PerVoterPerMinute { get; set; } = 120;

    /// <summary>Phones that may join (mint voter tokens) at once from one address. A whole hall joins through one
    /// convention Wi-Fi address when the QR code appears, so this only stops a flood: a script minting voters is not
    /// refused but flagged (docs/ballot-integrity.md).</summary>
    [Range(1, 1_000_000, ErrorMessage = "{0} must be a whole number from {1} to {2}.")]
    public int PerAddressJoinBurst { get; set; } = 10_000;

    /// <summary>Joins per minute from one address once the burst is spent (the flood guard's refill).</summary>
    [Range(1, 10_000_000, ErrorMessage = "{0} must be a whole number from {1} to {2}.")]
    public int PerAddressJoinsPerMinute { get; set; } = 6_000;

    /// <summary>Coarse cap of API requests per second from one address (a flood, not a room).</summary>
    [Range(1, 1_000_000, ErrorMessage = "{0} must be a whole number from {1} to {2}.")]
    public int PerAddressPerSecond { get; set; } = 20_000;
}

/// <summary>An absolute http:// or https:// address without spaces or control characters.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpUrlAttribute() : ValidationAttribute("{0} must be an absolute http:// or https:// address.")
{
    public override bool IsValid(object? value) =>
        value is null || value is string url && !url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
        && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>A list of IP addresses or CIDR networks, separated by commas or spaces.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NetworksAttribute() : ValidationAttribute("{0} must list IP addresses or networks (CIDR, e.g. 10.0.0.0/8), separated by commas.")
{
    private static readonly char[] Separators = [',', ' ', ';'];

    public override bool IsValid(object? value) => value is null || value is string list && Split(list).All(s => TryParse(s, out _));

    public static IEnumerable<IPNetwork> Parse(string? list) =>
        Split(list).Select(s => TryParse(s, out var network) ? network : throw new FormatException($"Not an address or network: {s}"));

    private static string[] Split(string? list) => (list ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool TryParse(string text, out IPNetwork network)
    {
        if (IPAddress.TryParse(text, out var address) && !text.Contains('/'))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }
}

/// <summary>How stuffed ballots are flagged in open mode (docs/ballot-integrity.md).</summary>
public sealed class FlagOptions
{
    /// <summary>The fewest voters that make a flagged cluster.</summary>
    [Range(2, 1_000_000, ErrorMessage = "{0} must be a whole number from {1} to {2}.")]
    public int MinVoters { get; set; } = 10;

    /// <summary>For simulations only: the rules' time thresholds are divided by this, for an audience simulation
    /// that runs this many times faster than life (tools/AmvScreening.Audience --time-scale). Leave it at 1 for a show.</summary>
    [Range(1.0, 1000.0, ErrorMessage = "{0} must be a number from {1} to {2}.")]
    public double TimeScale { get; set; } = 1;
}
