using System.Security.Cryptography;
using AmvScreening.Audience.Processes;

namespace AmvScreening.Audience.Demo;

/// <summary>
/// The demo's secrets, kept in <c>DATA/demo-credentials.env</c> (readable only by its owner) across runs, so that a
/// second run shows the same passwords: made on the first run, given to the server on every start. Deleting the file
/// makes new ones.
/// </summary>
public sealed record DemoCredentials(string CoordinatorPassword, string BoothPassword, string PlayerApiKey)
{
    private const string Coordinator = "Amv__Auth__CoordinatorPassword";
    private const string Booth = "Amv__Auth__BoothPassword";
    private const string Player = "Amv__Auth__PlayerApiKey";

    /// <summary>The server's settings for these secrets, as environment variables.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        [Coordinator] = CoordinatorPassword,
        [Booth] = BoothPassword,
        [Player] = PlayerApiKey,
    };

    /// <summary>Reads the file, making it first when it is missing; a file that lacks a secret is a failure.</summary>
    public static DemoCredentials LoadOrCreate(string path)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(path))
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = OwnerOnly;
            }

            using var file = new FileStream(path, create);
            using var writer = new StreamWriter(file);
            writer.Write($"""
                # AmvScreening demo secrets, made by ./amv demo and given to the server on every demo start.
                # Delete this file to get new ones.
                {Coordinator}={NewPassword()}
                {Booth}={NewPassword()}
                {Player}={Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}

                """);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }

        var values = File.ReadLines(path)
            .Where(line => !line.StartsWith('#') && line.Contains('='))
            .Select(line => line.Split('=', 2))
            .GroupBy(pair => pair[0], pair => pair[1])
            .ToDictionary(g => g.Key, g => g.Last());
        return Value(Coordinator) is { } coordinator && Value(Booth) is { } booth && Value(Player) is { } player
            ? new DemoCredentials(coordinator, booth, player)
            : throw new AmvFailure($"{Repository.Show(path)} lacks a secret: delete it to make new ones.");

        string? Value(string name) => values.GetValueOrDefault(name) is { Length: > 0 } value ? value : null;
    }

    /// <summary>Three groups of five readable characters, like the server's own.</summary>
    private static string NewPassword() =>
        string.Join('-', Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetString("abcdefghjkmnpqrstuvwxyz23456789", 5)));
}
