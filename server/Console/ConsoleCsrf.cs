using AmvScreening.Server.Auth;
using AmvScreening.Server.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Consoles;

/// <summary>
/// Cross-site request forgery rules for requests made with the staff cookie (docs/consoles.md):
/// <list type="bullet">
/// <item>The cookie is SameSite=Strict, so a browser never sends it with a request another site starts.</item>
/// <item>A request to /api or /hubs with the staff cookie whose <c>Origin</c> is another origin is refused (403): that
/// covers other ports of the same host, which count as the same "site", and cross-site WebSocket hijacking.</item>
/// <item>A state-changing /api request with the staff cookie from a browser (it sends <c>Origin</c> or
/// <c>Sec-Fetch-Site</c>) must carry the antiforgery token of a console page in the <c>X-CSRF-TOKEN</c> header.
/// Scripts and programs (curl, HttpClient) send neither header and need no token; whoever sends a token has it checked.</item>
/// <item>Console form posts carry the token as a form field (Razor Pages checks it).</item>
/// </list>
/// </summary>
public static class ConsoleCsrf
{
    public static IApplicationBuilder UseConsoleCsrf(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        // The judges' own API is called with the judge cookie, which is not the default scheme: the judge is the user
        // there (the judge page's token was made for the judge).
        if (Judging.JudgeSessions.IsJudgeApi(request.Path)
            && (await context.AuthenticateAsync(Roles.Schemes.JudgeCookie)).Principal is { } judge)
        {
            context.User = judge;
        }

        var staff = context.User.IsInRole(Roles.Coordinator) || context.User.IsInRole(Roles.Booth) || context.User.IsInRole(Roles.Judge);
        var api = request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
        if (staff && (api || request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase)))
        {
            if (IsCrossOrigin(context))
            {
                await RefuseAsync(context, "The request came from another origin.");
                return;
            }

            var changes = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
            var fromBrowser = request.Headers.Origin.Count > 0 || request.Headers.ContainsKey("Sec-Fetch-Site");
            if (api && changes && (fromBrowser || request.Headers.ContainsKey(ConsoleSetup.CsrfHeader)))
            {
                try
                {
                    await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
                }
                catch (AntiforgeryValidationException)
                {
                    await RefuseAsync(context, $"Missing or invalid antiforgery token: send the console page's token in the {ConsoleSetup.CsrfHeader} header (reload the page to get a new one).");
                    return;
                }
            }
        }

        await next(context);
    });

    /// <summary>The Origin header names another host or port than the request was sent to (or the configured public
    /// address). The scheme is not compared: behind a TLS proxy the server sees http while the page is https.</summary>
    private static bool IsCrossOrigin(HttpContext context)
    {
        var origins = context.Request.Headers.Origin;
        if (origins.Count == 0)
        {
            return false;
        }

        if (!Uri.TryCreate(origins.ToString(), UriKind.Absolute, out var origin))
        {
            return true; // "null" (a sandboxed or privacy-redirected page) or garbage
        }

        var host = context.Request.Host;
        var requestPort = host.Port ?? (context.Request.IsHttps ? 443 : 80);
        if (string.Equals(origin.Host, host.Host, StringComparison.OrdinalIgnoreCase) && (origin.Port == requestPort || host.Port is null))
        {
            return false;
        }

        var publicUrl = context.RequestServices.GetRequiredService<IOptions<AmvOptions>>().Value.PublicBaseUrl;
        return !(Uri.TryCreate(publicUrl, UriKind.Absolute, out var configured)
            && string.Equals(configured.Host, origin.Host, StringComparison.OrdinalIgnoreCase) && configured.Port == origin.Port);
    }

    private static Task RefuseAsync(HttpContext context, string detail) =>
        new Refusal(StatusCodes.Status403Forbidden, "Refused: possible cross-site request forgery.", detail, "csrf").ToProblem().ExecuteAsync(context);
}
