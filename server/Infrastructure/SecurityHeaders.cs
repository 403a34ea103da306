using AmvScreening.Server.Auth;
using Microsoft.AspNetCore.HttpOverrides;

namespace AmvScreening.Server.Infrastructure;

/// <summary>
/// What every response says about itself (README, "Security model"): <c>X-Content-Type-Options: nosniff</c> on all;
/// on console pages a Content-Security-Policy (scripts only from this server, no inline script, no framing),
/// <c>Referrer-Policy: no-referrer</c> and <c>Cache-Control: no-store</c>; on every /api response
/// <c>Cache-Control: no-store</c> unless the endpoint chose its own (tallies, exports and unrevealed awards must not be
/// kept by a browser or a proxy). The phone app's page sends its own policy (VoterWeb). And behind a reverse proxy,
/// the client's address and scheme from X-Forwarded-For / X-Forwarded-Proto, believed only from trusted proxies.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The consoles' policy. Inline style attributes are allowed (layout tweaks in the pages); scripts are not.</summary>
    public const string ConsolePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Forbids framing, for a policy that says nothing about it.</summary>
    public const string NoFraming = "frame-ancestors 'none'";

    public const string NoStore = "no-store";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            Apply(context);
            return Task.CompletedTask;
        });
        return next(context);
    });

    private static void Apply(HttpContext context)
    {
        var path = context.Request.Path;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        if (ConsolePaths.IsPage(path))
        {
            headers.ContentSecurityPolicy = ConsolePolicy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = NoStore;
        }
        else if (path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && headers.CacheControl.Count == 0)
        {
            headers.CacheControl = NoStore;
        }
    }

    /// <summary>Believes X-Forwarded-For and X-Forwarded-Proto only from <see cref="AmvOptions.TrustedProxies"/> (default
    /// loopback), so <c>Request.IsHttps</c> (and so the cookies' Secure flag) and the client address that the rate limits
    /// count by are those the proxy saw. Headers from anyone else are ignored.</summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, AmvOptions amv) =>
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var network in amv.TrustedProxyNetworks)
            {
                o.KnownIPNetworks.Add(network);
            }
        });
}
