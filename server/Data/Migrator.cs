using Dapper;

namespace AmvScreening.Server.Data;

/// <summary>Brings the database schema up to date at start-up. The schema version is <c>PRAGMA user_version</c>;
/// each script in <see cref="Migrations.Scripts"/> runs once, in order, in its own transaction.</summary>
public sealed class Migrator(Db db, ILogger<Migrator> logger)
{
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(db.Path)!);
        await using var connection = await db.OpenAsync(ct);
        // WAL is a property of the file: set once, it stays.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        var version = await connection.ExecuteScalarAsync<int>("PRAGMA user_version;");
        if (version > Migrations.Scripts.Count)
        {
            throw new InvalidOperationException(
                $"The database {db.Path} has schema version {version}, newer than this server knows ({Migrations.Scripts.Count}). Run a newer server.");
        }

        for (var next = version + 1; next <= Migrations.Scripts.Count; next++)
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(Migrations.Scripts[next - 1], transaction: tx);
            await connection.ExecuteAsync($"PRAGMA user_version = {next};", transaction: tx);
            await tx.CommitAsync(ct);
            logger.LogInformation("Database {Path}: applied migration {Version}", db.Path, next);
        }
    }
}
