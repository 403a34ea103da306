using System.Xml.Linq;

namespace AmvScreening.TestResults;

/// <summary>
/// What a test run counted, as <c>./amv test</c> reports it: passed, failed (failed, errors, timeouts and aborted runs)
/// and skipped (counted but not executed), added up over the TRX result files <c>dotnet test --logger trx</c> wrote.
/// </summary>
public sealed record TrxCounts(int Passed, int Failed, int Skipped)
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>The counts of every *.trx file in <paramref name="folder"/> (none when it does not exist: the run wrote no
    /// results).</summary>
    public static TrxCounts InFolder(string folder) =>
        Directory.Exists(folder) ? Sum(Directory.EnumerateFiles(folder, "*.trx").Select(XDocument.Load)) : new(0, 0, 0);

    public static TrxCounts Sum(IEnumerable<XDocument> results) =>
        results.Select(Of).Aggregate(new TrxCounts(0, 0, 0), (a, b) => new(a.Passed + b.Passed, a.Failed + b.Failed, a.Skipped + b.Skipped));

    /// <summary>One file's counts, from its ResultSummary's Counters (a file without them counts nothing).</summary>
    public static TrxCounts Of(XDocument result)
    {
        if (result.Descendants(Trx + "Counters").FirstOrDefault() is not { } counters)
        {
            return new(0, 0, 0);
        }

        int Count(string name) => int.TryParse(counters.Attribute(name)?.Value, out var n) ? n : 0;
        return new(Count("passed"), Count("failed") + Count("error") + Count("timeout") + Count("aborted"), Count("total") - Count("executed"));
    }
}
