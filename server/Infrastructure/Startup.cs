using AmvScreening.Server.Auth;
using AmvScreening.Server.Cards;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Contest.Import;
using AmvScreening.Server.Data;
using AmvScreening.Server.Room;
using AmvScreening.Server.LiveShow;
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
        PrintSecrets(await services.GetRequiredService<SecretStore>().InitializeAsync());
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
    }

    /// <summary>The secrets generated now, in clear, and at every start the file that keeps them while it exists.</summary>
    private static void PrintSecrets(SecretStore.Start secrets)
    {
        if (secrets.Generated.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("=== First start: generated secrets (set Amv__Auth__* to choose your own) ===");
            foreach (var (label, value) in secrets.Generated)
            {
                Console.WriteLine($"  {label}: {value}");
            }
        }

        if (secrets.GeneratedFile is { } file)
        {
            Console.WriteLine($"The generated secrets are kept in {file} (readable only by this user): note them, then delete the file.");
            Console.WriteLine();
        }
    }

    /// <summary>Imports the first-start contest file. A file that cannot be read or is refused does not stop the server:
    /// its problems are printed (each naming its row and field) and the server starts without finalists, so the
    /// coordinator can import a corrected file from the console.</summary>
    private static async Task ImportFirstAsync(ContestImporter importer, string file)
    {
        var path = Path.GetFullPath(file);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"The contest file {path} was not imported: {e.Message}");
            Console.Error.WriteLine("The server starts without finalists: import a contest from /console/import.");
            return;
        }

        var result = await importer.ImportAsync(text, ContestImporter.FormatOf(path), dryRun: false);
        var output = result.Applied ? Console.Out : Console.Error;
        if (!result.Applied)
        {
            output.WriteLine($"The contest file {path} was not imported: {result.Errors.Count} error(s).");
            foreach (var error in result.Errors)
            {
                output.WriteLine($"  error: {error.Field}: {error.Message}");
            }
        }

        foreach (var warning in result.Warnings)
        {
            output.WriteLine($"  warning: {warning.Field}: {warning.Message}");
        }

        output.WriteLine(result.Applied
            ? $"Imported {path}: {result.Categories} categories, {result.Finalists} finalists."
            : "The server starts without finalists: fix the file and import it from /console/import.");
    }
}
