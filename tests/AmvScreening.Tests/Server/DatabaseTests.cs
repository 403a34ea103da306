using AmvScreening.Server.Data;
using AmvScreening.Tests.Support;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AmvScreening.Tests.Server;

public sealed class DatabaseTests
{
    [Fact]
    public async Task StartUp_MigratesANewDatabase_ToTheLatestVersion_InWalModeWithForeignKeys()
    {
        using var server = new AmvServer();
        await using var connection = await server.Services.GetRequiredService<Db>().OpenAsync();
        Assert.Equal(Migrations.Scripts.Count, await connection.ExecuteScalarAsync<int>("PRAGMA user_version"));
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("PRAGMA foreign_keys"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("PRAGMA synchronous")); // FULL
        Assert.Equal("ok", await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task Restart_OnTheSameData_KeepsTheRoomCodeAndSecrets()
    {
        var data = Directory.CreateTempSubdirectory("amv-test-").FullName;
        string code;
        using (var first = new AmvServer(dataDirectory: data))
        {
            code = await first.Services.GetRequiredService<AmvScreening.Server.Room.RoomCodes>().GetCurrentAsync();
        }

        try
        {
            using var second = new AmvServer(dataDirectory: data);
            Assert.Equal(code, await second.Services.GetRequiredService<AmvScreening.Server.Room.RoomCodes>().GetCurrentAsync());
            using var client = await second.CreateStaffClientAsync();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Schema_RefusesBadData_Itself()
    {
        using var server = new AmvServer();
        await using var connection = await server.Services.GetRequiredService<Db>().OpenAsync();
        await connection.ExecuteAsync("INSERT INTO categories (id, position, name) VALUES (1, 1, 'Upbeat/Fun')");

        // Blank title, an entry in a category that does not exist, a duplicate category name, a second contest row.
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO entries (category_id, position, title, editors, music_artist, music_title) VALUES (1, 1, '  ', '[\"a\"]', 'x', 'y')"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(
            "INSERT INTO entries (category_id, position, title, editors, music_artist, music_title) VALUES (9, 1, 'T', '[\"a\"]', 'x', 'y')"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("INSERT INTO categories (position, name) VALUES (2, 'UPBEAT/FUN')"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("INSERT INTO contest (id, uid, name, year) VALUES (2, 'x', 'Other', 2024)"));
        await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync("INSERT INTO entries (category_id, position, title, editors, music_artist, music_title) VALUES (1, 1, 'T', '[]', 'x', 'y')"));
    }
}
