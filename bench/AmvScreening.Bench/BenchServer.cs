using AmvScreening.Tests.Support;

namespace AmvScreening.Bench;

/// <summary>The server the benches measure: the built server as its own process on loopback, with a fresh data folder
/// and the sample contest imported, signed into with <see cref="Password"/> (and the player's <see cref="PlayerKey"/>).</summary>
internal static class BenchServer
{
    public const string Password = "bench-coordinator-password";
    public const string PlayerKey = "bench-player-api-key-0123456789";

    public static Task<ServerProcess> StartAsync(string dataDirectory) => ServerProcess.StartAsync(
        Path.Combine(AppContext.BaseDirectory, "AmvScreening.Server.dll"),
        new Dictionary<string, string>
        {
            ["Amv:DataDirectory"] = dataDirectory,
            ["Amv:ImportOnFirstStart"] = RepoPaths.Of("samples", "kumoricon-2023.json"),
            ["Amv:Auth:CoordinatorPassword"] = Password,
            ["Amv:Auth:PlayerApiKey"] = PlayerKey,
        },
        TimeSpan.FromSeconds(60));
}
