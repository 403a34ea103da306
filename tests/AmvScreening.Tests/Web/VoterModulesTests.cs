using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Web;

/// <summary>
/// The phone app's modules that need no page (state.js, the retry and one-at-a-time helpers of net.js, codes.js), run
/// by Node's own test runner: tests/node/voter-modules.test.mjs. The browser tests hold the whole app to its behaviour.
/// </summary>
public sealed class VoterModulesTests
{
    [Fact]
    public async Task StateAndSessionRules_HoldInNode()
    {
        var node = ExternalProcess.Require("node", "nodejs");
        var result = await ExternalProcess.RunAsync(
            node, ["--test", "--test-reporter=tap", RepoPaths.Of("tests", "node", "voter-modules.test.mjs")], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"node --test failed (exit {result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
        Assert.Contains("# fail 0", result.StandardOutput);
        Assert.DoesNotContain("# pass 0", result.StandardOutput);
    }
}
