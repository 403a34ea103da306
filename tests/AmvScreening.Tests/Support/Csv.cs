using System.Globalization;
using CsvHelper;

namespace AmvScreening.Tests.Support;

public static class Csv
{
    /// <summary>Every record of a CSV text, the header first, as CsvHelper reads it back.</summary>
    public static string[][] Parse(string text)
    {
        using var reader = new CsvReader(new StringReader(text), CultureInfo.InvariantCulture);
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(reader.Parser.Record!);
        }

        return [.. rows];
    }
}
