using AmvScreening.Server.Auth;
using AmvScreening.Server.Cards;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Contest.Import;
using AmvScreening.Server.Data;
using AmvScreening.Server.Room;
using AmvScreening.Server.Show;
using AmvScreening.Server.Voting;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Infrastructure;

/// <summary>What runs once before the server takes requests: schema, secrets, room code, first import, ballot cards, show state.</summary>
public static class Startup
{
    public static async Task InitializeAmvAsync(this WebApplication app)
    {
        var services = app.Services;
        var options = services.GetRequiredService<IOptions<AmvOptions>>().Value;
        await services.GetRequiredService<Migrator>().MigrateAsync();
        var generated = await services.GetRequiredService<SecretStore>().InitializeAsync();
        await services.GetRequiredService<RoomCodes>().GetCurrentAsync();

        if (options.ImportOnFirstStart is { Length: > 0 } file && !await services.GetRequiredService<ContestStore>().HasEntriesAsync())
        {
            await ImportFirstAsync(services.GetRequiredService<ContestImporter>(), file);
        }

        await services.GetRequiredService<VoterTokens>().InitializeAsync();
        await services.GetRequiredService<CardKeys>().InitializeAsync();
        await services.GetRequiredService<CardBindings>().LoadAsync(services.GetRequiredService<Db>());
        await services.GetRequiredService<VotingState>().LoadAsync();
        await services.GetRequiredService<ShowService>().LoadAsync();

        if (generated.Count > 0)
        {
            // Printed once, at the start that generated them: only their hashes are stored.
            Console.WriteLine();
            Console.WriteLine("=== First start: generated secrets (shown only now; set Amv__Auth__* to choose your own) ===");
            foreach (var (label, value) in generated)
            {
                Console.WriteLine($"  {label}: {value}");
            }

            Console.WriteLine();
        }
    }

    private static async Task ImportFirstAsync(ContestImporter importer, string file)
    {
        var path = Path.GetFullPath(file);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The contest file to import was not found: {path}");
        }

        var result = await importer.ImportAsync(await File.ReadAllTextAsync(path), ContestImporter.FormatOf(path), dryRun: false);
        foreach (var warning in result.Warnings)
        {
            Console.WriteLine($"  warning: {warning.Field}: {warning.Message}");
        }

        if (!result.Applied)
        {
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine($"  error: {error.Field}: {error.Message}");
            }

            throw new InvalidOperationException($"The contest file {path} was not imported: {result.Errors.Count} error(s).");
        }

        Console.WriteLine($"Imported {path}: {result.Categories} categories, {result.Finalists} finalists.");
    }
}
