using System.Data;
using System.Text.Json;
using AmvScreening.Server.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Data;

/// <summary>Opens connections to the contest database: one per operation (pooling is on), every pragma that must
/// hold per connection applied on open. WAL and the schema are set once, by <see cref="Migrator"/>.</summary>
public sealed class Db
{
    private readonly string _connectionString;

    static Db() => RegisterTypeHandlers();

    public Db(IOptions<AmvOptions> options)
    {
        Path = options.Value.DatabasePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        // synchronous=FULL: a commit is on disk before it returns, so an acknowledged write survives a crash.
        await connection.ExecuteAsync("PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;");
        return connection;
    }

    /// <summary>Lists of strings (editors, anime sources) are stored as JSON arrays in one TEXT column.</summary>
    private static void RegisterTypeHandlers()
    {
        SqlMapper.AddTypeHandler(new StringListHandler());
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }

    private sealed class StringListHandler : SqlMapper.TypeHandler<IReadOnlyList<string>>
    {
        public override void SetValue(IDbDataParameter parameter, IReadOnlyList<string>? value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = JsonSerializer.Serialize(value ?? []);
        }

        public override IReadOnlyList<string> Parse(object value) =>
            JsonSerializer.Deserialize<string[]>((string)value) ?? [];
    }

    /// <summary>Timestamps are stored as ISO-8601 UTC text.</summary>
    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.UtcDateTime.ToString("O");
        }

        public override DateTimeOffset Parse(object value) =>
            DateTimeOffset.Parse((string)value, null, System.Globalization.DateTimeStyles.AssumeUniversal);
    }
}
