using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Cards;
using AmvScreening.Server.Consoles;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Data;
using AmvScreening.Server.Entries;
using AmvScreening.Server.Entries.Admin;
using AmvScreening.Server.Entries.Checks;
using AmvScreening.Server.Preflight;
using AmvScreening.Server.Results;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Integrity;
using AmvScreening.Server.Judging;
using AmvScreening.Server.Player;
using AmvScreening.Server.Room;
using AmvScreening.Server.LiveShow;
using AmvScreening.Server.Screen;
using AmvScreening.Server.Uploads;
using AmvScreening.Server.VoterWeb;
using AmvScreening.Server.Voting;
using Microsoft.AspNetCore.SignalR;

var builder = WebApplication.CreateBuilder(args);
if (AmvSettings.Load(builder) is not { } amv)
{
    return AmvSettings.BadSettingsExitCode; // each bad setting was printed, by name
}

// Quiet by default: one line per request is noise on show day (Logging__LogLevel__* turns it back on).
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = ErrorHandling.MaxRequestBodyBytes);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddAmvErrorsAndJson();
builder.Services.AddAmvAuth(amv);
builder.Services.AddAmvRateLimits(amv);
builder.Services.AddTrustedProxies(amv);
builder.Services.AddAmvHealth();
builder.Services.AddAmvCompression();
builder.Services.AddOpenApi();
builder.Services.AddSignalR(o => o.AddFilter<StoppingHubFilter>()).AddJsonProtocol(o => ErrorHandling.Configure(o.PayloadSerializerOptions));
builder.Services.AddSingleton<Db>().AddSingleton<Migrator>();
builder.Services.AddContest();
builder.Services.AddRoom();
builder.Services.AddSingleton<Broadcaster>().AddHostedService(sp => sp.GetRequiredService<Broadcaster>());
builder.Services.AddSingleton<ShowService>().AddSingleton<PlayerPresenceTracker>().AddSingleton<AudienceCounter>().AddSingleton<PlayerCommandSender>();
builder.Services.AddVoting();
builder.Services.AddCards();
builder.Services.AddResults();
builder.Services.AddIntegrity();
builder.Services.AddJudging(amv);
builder.Services.AddPlayerApi();
builder.Services.AddConsoles();
builder.Services.AddVoterWeb();
builder.Services.AddEntryPortal();
builder.Services.AddUploads();
builder.Services.AddEntryChecks();
builder.Services.AddEntriesAdmin();

var app = builder.Build();
await app.InitializeAmvAsync();

app.UseForwardedHeaders();
app.UseResponseCompression();
app.UseSecurityHeaders();
app.UseExceptionHandler();
app.UseRereadableJsonBodies();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseApiKeyRequired();
app.UseConsoleCsrf();
app.UseAuthorization();
app.UseRateLimiter();

app.MapOpenApi();
app.MapAmvHealth();
app.MapAuth();
app.MapContest();
app.MapRoom();
app.MapShow();
app.MapPreflight();
app.MapVoting();
app.MapCards();
app.MapResults();
app.MapIntegrity();
app.MapJudging();
app.MapPlayerApi();
app.MapVoterWeb();
app.MapScreen();
app.MapEntryPortal();
app.MapEntriesAdmin();
app.MapConsoles();
app.MapUploads();
// A staff connection ends with its session (the console reconnects and finds it must sign in again).
app.MapHub<ShowHub>(ShowHubContract.Path, o => o.CloseOnAuthenticationExpiration = true);

app.Run();
return 0;

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
