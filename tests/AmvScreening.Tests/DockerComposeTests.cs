using AmvScreening.Tests.Support;

namespace AmvScreening.Tests;

/// <summary>
/// docker-compose.yml is checked with `docker-compose config`, which validates and resolves the file without a Docker
/// engine. docker-compose (Debian package, 1.29) is installed by ./amv test; when it is missing these tests fail.
/// </summary>
public sealed class DockerComposeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["AMV_COORDINATOR_PASSWORD"] = "compose-coordinator-1",
        ["AMV_BOOTH_PASSWORD"] = "compose-booth-1",
        ["AMV_PLAYER_API_KEY"] = "compose-player-key-0123456789",
        ["AMV_PUBLIC_URL"] = "http://192.0.2.10:8080",
    };

    [Fact]
    public async Task Config_WithSecretsSet_IsValidWithVolumePortAndSecrets()
    {
        var (exitCode, output) = await RunComposeConfigAsync(Secrets);

        Assert.True(exitCode == 0, $"docker-compose config failed (exit {exitCode}):\n{output}");
        Assert.Contains("amv-data", output);
        Assert.Contains("/data", output);
        Assert.Contains("8080", output);
        Assert.Contains("server/Dockerfile", output);
        Assert.Contains("Amv__Auth__CoordinatorPassword: compose-coordinator-1", output);
        Assert.Contains("Amv__PublicBaseUrl: http://192.0.2.10:8080", output);
        Assert.Contains("unless-stopped", output);
        Assert.Contains("nofile", output); // a room of phones needs more open files than the default 1024
    }

    [Theory]
    [InlineData("AMV_COORDINATOR_PASSWORD")]
    [InlineData("AMV_BOOTH_PASSWORD")]
    [InlineData("AMV_PLAYER_API_KEY")]
    [InlineData("AMV_PUBLIC_URL")]
    public async Task Config_WithoutARequiredVariable_FailsNamingIt(string variable)
    {
        var environment = new Dictionary<string, string>(Secrets);
        environment.Remove(variable);

        var (exitCode, output) = await RunComposeConfigAsync(environment);

        Assert.True(exitCode != 0, $"docker-compose config passed without {variable}:\n{output}");
        // The message compose gives for ${VAR:?message} ends in ": message", and each message starts "set VAR".
        Assert.Contains($": set {variable}", output);
    }

    /// <summary>Runs docker-compose config with exactly the given AMV_* variables (none inherited).</summary>
    private static async Task<(int ExitCode, string Output)> RunComposeConfigAsync(IReadOnlyDictionary<string, string> environment)
    {
        var compose = ExternalProcess.Require("docker-compose", "docker-compose");
        var variables = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("AMV_", StringComparison.Ordinal))
            .ToDictionary(k => k, string? (_) => null);
        foreach (var (key, value) in environment)
        {
            variables[key] = value;
        }

        // An empty env file, so a deployment's .env in the repository root cannot change what is checked.
        var envFile = Path.GetTempFileName();
        try
        {
            var result = await ExternalProcess.RunAsync(
                compose, ["--env-file", envFile, "--file", RepoPaths.Of("docker-compose.yml"), "config"], Timeout, RepoPaths.Root, variables);
            return (result.ExitCode, result.StandardOutput + result.StandardError);
        }
        finally
        {
            File.Delete(envFile);
        }
    }
}
