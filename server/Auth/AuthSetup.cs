using AmvScreening.Protocol;
using AmvScreening.Server.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR;

namespace AmvScreening.Server.Auth;

public static class AuthSetup
{
    /// <summary>Staff sign in with a cookie; the player with its API key. APIs and the hub answer 401/403, never a
    /// redirect; the console's pages (under /console) redirect to the sign-in page, or to the "not for your role" page.</summary>
    public static IServiceCollection AddAmvAuth(this IServiceCollection services, AmvOptions amv)
    {
        services.AddSingleton<SecretStore>().AddSingleton<StaffSessions>().AddSingleton<StaffSessions.HubFilter>();
        services.AddSingleton<GuessThrottle>().AddSingleton<SignInGuard>().AddSingleton<PlayerKeyGuard>();
        services.Configure<HubOptions>(o => o.AddFilter<StaffSessions.HubFilter>());
        // Cookie keys persist in the data directory, so a restart keeps staff signed in. Whoever reads them can make
        // cookies: the folder is the server's user's alone.
        var keys = Path.Combine(amv.DataDirectory, "keys");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(keys);
        }
        else
        {
            const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Directory.CreateDirectory(keys, ownerOnly);
            File.SetUnixFileMode(keys, ownerOnly);
        }

        services.AddDataProtection()
            .SetApplicationName("AmvScreening")
            .PersistKeysToFileSystem(new DirectoryInfo(keys));

        services.AddAuthentication(Roles.Schemes.Default)
            .AddPolicyScheme(Roles.Schemes.Default, "Staff cookie or player API key", o =>
                o.ForwardDefaultSelector = context => context.Request.Headers.ContainsKey(ShowHubContract.ApiKeyHeader)
                    ? Roles.Schemes.PlayerApiKey
                    : Roles.Schemes.StaffCookie)
            .AddScheme<AuthenticationSchemeOptions, PlayerApiKeyHandler>(Roles.Schemes.PlayerApiKey, null)
            .AddCookie(Roles.Schemes.StaffCookie, o =>
            {
                o.Cookie.Name = "amv.staff";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = amv.Auth.SessionLifetime;
                o.SlidingExpiration = true;
                o.LoginPath = ConsolePaths.SignIn;
                o.AccessDeniedPath = ConsolePaths.Denied;
                o.ReturnUrlParameter = ConsolePaths.ReturnUrlParameter;
                o.Events.OnValidatePrincipal = StaffSessions.ValidatePrincipalAsync;
                o.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Policies.Coordinator, p => p.RequireRole(Roles.Coordinator))
            .AddPolicy(Roles.Policies.Staff, p => p.RequireRole(Roles.Coordinator, Roles.Booth))
            .AddPolicy(Roles.Policies.Player, p => p.RequireRole(Roles.Player))
            .AddPolicy(Roles.Policies.CoordinatorOrPlayer, p => p.RequireRole(Roles.Coordinator, Roles.Player))
            .AddPolicy(Roles.Policies.StaffOrPlayer, p => p.RequireRole(Roles.Coordinator, Roles.Booth, Roles.Player));

        return services;
    }

    /// <summary>A request that carries an API key must carry the right one: a player with a wrong key is refused at
    /// once (401), instead of going on as an anonymous voter and failing at its first report; one from an address that
    /// sent too many wrong keys is refused unchecked (429 with Retry-After, <see cref="PlayerKeyGuard"/>).</summary>
    public static IApplicationBuilder UseApiKeyRequired(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Items[PlayerKeyGuard.RetryAfterItem] is TimeSpan wait)
        {
            await RateLimits.TooManyRequests(context, wait, "Too many wrong API keys from this address.").ExecuteAsync(context);
            return;
        }

        if (context.Request.Headers.ContainsKey(ShowHubContract.ApiKeyHeader) && !context.User.IsInRole(Roles.Player))
        {
            await new Refusal(StatusCodes.Status401Unauthorized, "Invalid API key.",
                $"The {ShowHubContract.ApiKeyHeader} header does not hold the player's API key.").ToProblem().ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    /// <summary>A console page is redirected (to sign in, or to the "not for your role" page); anything else gets the status.</summary>
    internal static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (ConsolePaths.IsPage(context.Request.Path))
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = status;
        }

        return Task.CompletedTask;
    }
}
