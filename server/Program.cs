using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Consoles;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Data;
using AmvScreening.Server.Preflight;
using AmvScreening.Server.Results;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.Integrity;
using AmvScreening.Server.Player;
using AmvScreening.Server.Room;
using AmvScreening.Server.Show;
using AmvScreening.Server.VoterWeb;
using AmvScreening.Server.Voting;

var builder = WebApplication.CreateBuilder(args);
var amv = builder.Configuration.GetSection(AmvOptions.Section).Get<AmvOptions>() ?? new AmvOptions();
builder.Services.AddOptions<AmvOptions>().BindConfiguration(AmvOptions.Section).ValidateDataAnnotations().ValidateOnStart();
// Quiet by default: one line per request is noise on show day (Logging__LogLevel__* turns it back on).
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = ErrorHandling.MaxRequestBodyBytes);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddAmvErrorsAndJson();
builder.Services.AddAmvAuth(amv);
builder.Services.AddAmvRateLimits(amv);
builder.Services.AddAmvHealth();
builder.Services.AddOpenApi();
builder.Services.AddSignalR().AddJsonProtocol(o => ErrorHandling.Configure(o.PayloadSerializerOptions));
builder.Services.AddSingleton<Db>().AddSingleton<Migrator>();
builder.Services.AddContest();
builder.Services.AddSingleton<RoomCodes>().AddSingleton<JoinLinks>();
builder.Services.AddSingleton<ShowService>().AddSingleton<PlayerPresenceTracker>().AddSingleton<AudienceCounter>();
builder.Services.AddVoting();
builder.Services.AddResults();
builder.Services.AddIntegrity();
builder.Services.AddPlayerApi();
builder.Services.AddConsoles();
builder.Services.AddVoterWeb();

var app = builder.Build();
await app.InitializeAmvAsync();

app.UseExceptionHandler();
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
app.MapResults();
app.MapIntegrity();
app.MapPlayerApi();
app.MapVoterWeb();
app.MapConsoles();
// A staff connection ends with its session (the console reconnects and finds it must sign in again).
app.MapHub<ShowHub>(ShowHubContract.Path, o => o.CloseOnAuthenticationExpiration = true);

app.Run();

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
