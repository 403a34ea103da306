using System.Diagnostics;
using System.Text.Json;
using AmvScreening.Protocol;
using AmvScreening.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Sdk;
using static AmvScreening.Tests.Support.HubTesting;

namespace AmvScreening.Tests.Protocol;

/// <summary>The npm <c>@microsoft/signalr</c> client (what the phone app and the consoles use), run by Node against the
/// real server: tests/node/show-client.mjs.</summary>
public sealed class NodeClientTests
{
    [Fact]
    public async Task NpmClient_ReceivesTheShowChangeThePlayerReported()
    {
        var nodeFolder = RepoPaths.Of("tests", "node");
        Assert.True(Directory.Exists(Path.Combine(nodeFolder, "node_modules", "@microsoft", "signalr")),
            $"The npm SignalR client is not installed in {nodeFolder}: run `npm ci --prefix tests/node` at the repository root.");
        await using var server = new AmvServer();
        await using var player = server.CreatePlayerHub();
        await player.StartAndSyncAsync();

        using var node = Process.Start(new ProcessStartInfo("node", [Path.Combine(nodeFolder, "show-client.mjs"), server.HubUrl.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stderr = node.StandardError.ReadToEndAsync();
        try
        {
            Assert.Equal("connected", await node.StandardOutput.ReadLineAsync().WaitAsync(Bound));

            var state = await player.InvokeAsync<ShowState>(ShowHubMethods.ReportOnScreen, Report(1, ShowPhase.CategoryCard)).WaitAsync(Bound);

            var line = await node.StandardOutput.ReadLineAsync().WaitAsync(Bound);
            Assert.NotNull(line);
            using var json = JsonDocument.Parse(line);
            Assert.Equal("categoryCard", json.RootElement.GetProperty("phase").GetString());
            Assert.Equal(1, json.RootElement.GetProperty("sequence").GetInt64());
            Assert.Equal(state, json.Deserialize<ShowState>(ShowJsonOptions));
            await node.WaitForExitAsync().WaitAsync(Bound);
            Assert.Equal(0, node.ExitCode);
        }
        catch (Exception e)
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }

            throw new XunitException($"{e.Message}\nThe Node client's stderr:\n{await stderr.WaitAsync(Bound)}", e);
        }
    }
}
