using AmvScreening.Server.Auth;
using Microsoft.Extensions.FileProviders;

namespace AmvScreening.Server.Consoles;

/// <summary>The coordinator and booth consoles (docs/consoles.md): Razor Pages under /console, their scripts and styles
/// under /console/assets, and the CSRF rules for them and the API they call.</summary>
public static class ConsoleSetup
{
    /// <summary>Header that carries the antiforgery request token on the console's fetch calls.</summary>
    public const string CsrfHeader = "X-CSRF-TOKEN";

    /// <summary>Changes whenever the server is built, so browsers fetch new scripts after an upgrade.</summary>
    public static string AssetVersion { get; } = typeof(ConsoleSetup).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];

    public static IServiceCollection AddConsoles(this IServiceCollection services)
    {
        services.AddAntiforgery(o =>
        {
            o.HeaderName = CsrfHeader;
            o.Cookie.Name = "amv.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Console/Pages";
            o.Conventions.AuthorizeFolder("/Coordinator", Roles.Policies.Coordinator);
            o.Conventions.AuthorizeFolder("/Staff", Roles.Policies.Staff);
            o.Conventions.AuthorizePage("/Index", Roles.Policies.Staff);
            o.Conventions.AuthorizePage("/SignOut", Roles.Policies.Staff);
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/Denied");
            o.Conventions.AuthorizeFolder("/Judge", Roles.Policies.Judge);
            o.Conventions.AllowAnonymousToPage("/Judge/SignIn");
            o.Conventions.AllowAnonymousToPage("/Judge/Welcome");
            o.Conventions.Add(new PageMethods());
        });
        return services;
    }

    public static WebApplication MapConsoles(this WebApplication app)
    {
        var assets = Path.Combine(AppContext.BaseDirectory, "Console", "assets");
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(assets),
            RequestPath = ConsolePaths.Root + "/assets",
            // Scripts change with the server: revalidate (the ?v= query changes with each build anyway).
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
        });
        app.MapGet("/", () => TypedResults.Redirect(ConsolePaths.Root)).ExcludeFromDescription();
        app.MapRazorPages();
        return app;
    }
}
