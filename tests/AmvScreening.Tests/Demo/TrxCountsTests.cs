using System.Xml.Linq;
using AmvScreening.TestResults;

namespace AmvScreening.Tests.Demo;

/// <summary>The counts <c>./amv test</c> prints, read from the TRX files <c>dotnet test --logger trx</c> writes.</summary>
[Trait("Kind", "Unit")]
public sealed class TrxCountsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("amv-trx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A TRX file as dotnet test writes it, reduced to what the counts come from.</summary>
    private static string Run(string counters) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun id="467fa31a-f7b7-4b68-a5b9-517cdd2a000c" name="@vm" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results />
          <ResultSummary outcome="Completed">
            <Counters {counters} inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="0" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
          </ResultSummary>
        </TestRun>
        """;

    [Fact]
    public void Failures_CountErrorsTimeoutsAndAbortedRuns_AndSkippedIsWhatWasNotExecuted()
    {
        var counts = TrxCounts.Of(XDocument.Parse(Run("""total="20" executed="17" passed="10" failed="3" error="2" timeout="1" aborted="1" """)));

        Assert.Equal(new TrxCounts(10, 7, 3), counts);
    }

    [Fact]
    public void EveryFileInTheFolder_IsAddedUp_AndNothingElse()
    {
        File.WriteAllText(Path.Combine(_folder, "a.trx"), Run("""total="1090" executed="1090" passed="1090" failed="0" error="0" timeout="0" aborted="0" """));
        File.WriteAllText(Path.Combine(_folder, "b.trx"), Run("""total="5" executed="4" passed="3" failed="1" error="0" timeout="0" aborted="0" """));
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), Run("""total="99" executed="99" passed="99" failed="0" error="0" timeout="0" aborted="0" """));

        Assert.Equal(new TrxCounts(1093, 1, 1), TrxCounts.InFolder(_folder));
    }

    [Fact]
    public void NoResults_CountNothing()
    {
        Assert.Equal(new TrxCounts(0, 0, 0), TrxCounts.InFolder(Path.Combine(_folder, "never-written")));
        Assert.Equal(new TrxCounts(0, 0, 0), TrxCounts.InFolder(_folder));
        Assert.Equal(new TrxCounts(0, 0, 0), TrxCounts.Of(XDocument.Parse("""<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010" />""")));
    }
}
