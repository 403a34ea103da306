using System.Globalization;
using System.Text;
using CsvHelper;

namespace AmvScreening.Server.Infrastructure;

/// <summary>
/// Every CSV file the server writes (the finalists, the results, the votes): RFC 4180 quoting, CRLF line ends, UTF-8
/// with a byte order mark so spreadsheets read titles in any script, and every cell safe to open in a spreadsheet.
/// </summary>
/// <remarks>A cell that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return is a formula to
/// Excel and its kin (a title <c>=HYPERLINK(…)</c> would run when the file is opened), so such a cell is written with a
/// leading apostrophe, which spreadsheets show as text. A cell that already starts with apostrophes before one of those
/// characters gets one more, so that <see cref="Unescape"/> gives back exactly what was escaped: the finalists' import
/// reads its own export unchanged. CsvHelper's own injection escaping is not used because it cannot be undone exactly.</remarks>
public static class CsvFiles
{
    public const string ContentType = "text/csv; charset=utf-8";

    private const char Apostrophe = '\'';
    private const string FormulaStarts = "=+-@\t\r";

    public static byte[] Write(IEnumerable<IEnumerable<string?>> rows)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var row in rows)
            {
                foreach (var cell in row)
                {
                    csv.WriteField(Escape(cell ?? ""));
                }

                csv.NextRecord();
            }
        }

        return stream.ToArray();
    }

    /// <summary>The cell as written: with an apostrophe in front when a spreadsheet would read it as a formula.</summary>
    public static string Escape(string cell) => NeedsEscape(cell) ? Apostrophe + cell : cell;

    /// <summary>The cell as it was before <see cref="Escape"/> (a cell that was not escaped comes back as it is).</summary>
    public static string Unescape(string cell) => cell.Length > 1 && cell[0] == Apostrophe && NeedsEscape(cell.AsSpan(1)) ? cell[1..] : cell;

    /// <summary>Starts with a formula character, after any apostrophes.</summary>
    private static bool NeedsEscape(ReadOnlySpan<char> cell)
    {
        var rest = cell.TrimStart(Apostrophe);
        return rest.Length > 0 && FormulaStarts.Contains(rest[0]);
    }
}
