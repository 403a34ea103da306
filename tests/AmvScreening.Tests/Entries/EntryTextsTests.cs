using AmvScreening.Tests.Support;

namespace AmvScreening.Tests.Entries;

/// <summary>The entry portal's texts in every language (voter-web/src/enter/texts.js), run by Node's own test runner:
/// tests/node/enter-texts.test.mjs. The browser tests show the pages in English and Japanese.</summary>
public sealed class EntryTextsTests
{
    [Fact]
    public async Task EveryLanguage_SaysEverythingEnglishSays()
    {
        var node = ExternalProcess.Require("node", "nodejs");
        var result = await ExternalProcess.RunAsync(
            node, ["--test", "--test-reporter=tap", RepoPaths.Of("tests", "node", "enter-texts.test.mjs")], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"node --test failed (exit {result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
        Assert.Contains("# fail 0", result.StandardOutput);
        Assert.DoesNotContain("# pass 0", result.StandardOutput);
    }
}
