using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using AmvScreening.Audience.Processes;

namespace AmvScreening.Audience.Demo;

/// <summary>
/// Where and how the demo runs, from the environment <c>./amv</c> documents (./amv help): <c>AMV_DEMO_PORT</c>,
/// <c>AMV_DEMO_DATA</c>, <c>AMV_DEMO_IMPORT</c> (set and empty: no contest) and <c>AMV_DEMO_HOST</c>. Relative paths
/// are relative to the repository. A bad value is an <see cref="AmvFailure"/> naming the variable.
/// </summary>
/// <param name="Import">The contest file imported on the first start, or null for none.</param>
/// <param name="Host">The host name or address phones reach this machine at.</param>
public sealed record DemoSettings(int Port, string Data, string? Import, string Host)
{
    public const int DefaultPort = 5080;
    public const string DefaultData = "data/demo";
    public const string DefaultImport = "samples/kumoricon-2023.json";

    /// <summary>Where phones reach the server (the voter URL, the QR code, the console URLs).</summary>
    public Uri PublicBase => new UriBuilder("http", Host, Port).Uri;

    /// <summary>Where this machine asks the server itself, without depending on its LAN.</summary>
    public Uri Local => new($"http://127.0.0.1:{Port}");

    public string CredentialsFile => Path.Combine(Data, "demo-credentials.env");
    public string ServerLog => Path.Combine(Data, "server.log");
    public string PlayerLog => Path.Combine(Data, "player.log");
    public string Media => Path.Combine(Data, "media");

    public static DemoSettings FromEnvironment() => From(Environment.GetEnvironmentVariable, LanAddress);

    /// <param name="variable">Reads an environment variable (null when unset).</param>
    /// <param name="lanAddress">This machine's address on its network, or null.</param>
    public static DemoSettings From(Func<string, string?> variable, Func<string?> lanAddress)
    {
        var portText = NonEmpty(variable("AMV_DEMO_PORT"));
        var port = DefaultPort;
        if (portText is not null && !(int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535))
        {
            throw new AmvFailure($"AMV_DEMO_PORT must be a port number, not '{portText}'");
        }

        var data = Repository.Absolute(NonEmpty(variable("AMV_DEMO_DATA")) ?? DefaultData);
        var import = variable("AMV_DEMO_IMPORT") is { } named ? NonEmpty(named) : DefaultImport;
        if (import is not null)
        {
            import = Repository.Absolute(import);
            if (!File.Exists(import))
            {
                throw new AmvFailure($"AMV_DEMO_IMPORT names no file: {import} (set it empty to start with no contest)");
            }
        }

        var host = NonEmpty(variable("AMV_DEMO_HOST")) ?? lanAddress() ?? "127.0.0.1";
        if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            throw new AmvFailure($"AMV_DEMO_HOST must be a host name or address phones can reach, not '{host}'");
        }

        return new DemoSettings(port, data, import, host);
    }

    /// <summary>This machine's first IPv4 address on a network that is up, other than loopback.</summary>
    public static string? LanAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?.ToString();

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
