using AmvScreening.Server.Auth;
using AmvScreening.Server.Data;
using AmvScreening.Tests.Support;
using Dapper;

namespace AmvScreening.Tests.Server;

public sealed class SecretTests
{
    [Fact]
    public async Task Secrets_AreStoredHashed_NeverInClearText()
    {
        using var server = new AmvServer();
        await using var connection = await server.Services.GetRequiredService<Db>().OpenAsync();
        var stored = (await connection.QueryAsync<string>("SELECT value FROM secrets WHERE name IN ('coordinator', 'booth', 'player')")).ToList();
        Assert.Equal(3, stored.Count);
        Assert.DoesNotContain(stored, v => v.Contains(AmvServer.CoordinatorPassword) || v.Contains(AmvServer.BoothPassword) || v.Contains(AmvServer.PlayerApiKey));
    }

    [Fact]
    public async Task UnconfiguredSecrets_AreGeneratedOnceAtFirstStart_AndWork()
    {
        var data = Directory.CreateTempSubdirectory("amv-test-").FullName;
        var options = Microsoft.Extensions.Options.Options.Create(new AmvScreening.Server.Infrastructure.AmvOptions { DataDirectory = data });
        var db = new Db(options);
        await new Migrator(db, Microsoft.Extensions.Logging.Abstractions.NullLogger<Migrator>.Instance).MigrateAsync();
        var fresh = new SecretStore(db, options, Microsoft.Extensions.Logging.Abstractions.NullLogger<SecretStore>.Instance);

        var generated = (await fresh.InitializeAsync()).Generated;
        var again = (await fresh.InitializeAsync()).Generated;

        Assert.Equal(3, generated.Count);
        Assert.Empty(again);
        Assert.True(fresh.CheckPassword(Roles.Coordinator, generated["Coordinator password"]));
        Assert.False(fresh.CheckPassword(Roles.Booth, generated["Coordinator password"]));
        Assert.True(fresh.CheckPlayerApiKey(generated["Player API key"]));
        Assert.False(fresh.CheckPlayerApiKey(generated["Coordinator password"]));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }
}
