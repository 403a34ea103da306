using System.Text;
using Microsoft.Data.Sqlite;

namespace AmvScreening.Tests.Support;

/// <summary>Every row of every table of a server's database, as text per table: two dumps that are equal mean nothing
/// was written in between.</summary>
public static class DatabaseDump
{
    public static async Task<IReadOnlyDictionary<string, string>> TakeAsync(string databasePath)
    {
        var dump = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                var row = new StringBuilder();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\u001f');
                }

                rows.Add(row.ToString());
            }

            rows.Sort(StringComparer.Ordinal);
            dump[table] = string.Join('\n', rows);
        }

        return dump;
    }

    /// <summary>The tables whose rows differ between two dumps.</summary>
    public static IReadOnlyList<string> Changed(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        [.. before.Keys.Union(after.Keys).Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t)).Order(StringComparer.Ordinal)];
}
