using AmvScreening.TestResults;

// Usage: AmvScreening.TestResults FOLDER — prints "PASSED FAILED SKIPPED" for the TRX files in FOLDER (./amv test).
if (args is not [var folder])
{
    Console.Error.WriteLine("Usage: AmvScreening.TestResults FOLDER (prints the passed, failed and skipped tests of its *.trx files)");
    return 2;
}

var counts = TrxCounts.InFolder(folder);
Console.WriteLine($"{counts.Passed} {counts.Failed} {counts.Skipped}");
return 0;
