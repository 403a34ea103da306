using System.Globalization;
using System.Security.Claims;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AmvScreening.Server.Judging;

/// <summary>
/// The judges' sign-in: its own cookie (<see cref="CookieName"/>) beside the staff one, so a coordinator who also judges
/// can be signed in as both in one browser. The cookie carries the judge's id and session stamp, checked against the
/// database on every request: a judge disabled, signed out or given a new password is signed out everywhere at once.
/// Wrong passwords are throttled per judge name exactly as the staff sign-in is per role (<see cref="SignInGuard"/>).
/// </summary>
public static class JudgeSessions
{
    public const string CookieName = "amv.judge";
    public const string SignInPage = "/console/judge/sign-in";

    public sealed record JudgeLoginRequest(string Name, string Password);

    public sealed record JudgeInviteRequest(string Invite, string Password);

    public sealed record SignedInJudge(int Id, string Name);

    public static AuthenticationBuilder AddJudgeCookie(this AuthenticationBuilder builder, AmvOptions amv) =>
        builder.AddCookie(Roles.Schemes.JudgeCookie, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = amv.Auth.SessionLifetime;
            o.SlidingExpiration = true;
            o.LoginPath = SignInPage;
            o.AccessDeniedPath = ConsolePaths.Denied;
            o.ReturnUrlParameter = ConsolePaths.ReturnUrlParameter;
            o.Events.OnValidatePrincipal = ValidatePrincipalAsync;
            o.Events.OnRedirectToLogin = context => AuthSetup.Refuse(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => AuthSetup.Refuse(context, StatusCodes.Status403Forbidden);
        });

    /// <summary>Sign-in, sign-out and the invite, under /api/auth/judge (the device cookie of <see cref="SignInGuard"/>
    /// is sent to /api/auth only).</summary>
    public static IEndpointRouteBuilder MapJudgeSignIn(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth/judge").WithTags("Judges");
        group.MapPost("/login", LoginAsync)
            .WithSummary("A judge signs in with their name and password; sets the judge cookie. Wrong passwords are throttled (429 with Retry-After).");
        group.MapPost("/invite", AcceptInviteAsync)
            .WithSummary("A judge sets their password with the invite link's secret (once); signs in.");
        group.MapPost("/logout", async (HttpContext context, JudgeAccounts accounts) =>
        {
            await SignOutAsync(context, accounts);
            return TypedResults.NoContent();
        }).WithSummary("Ends every session of the signed-in judge, on every device.");
        group.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new SignedInJudge(IdOf(user)!.Value, user.Identity!.Name!)))
            .RequireAuthorization(Roles.Policies.Judge)
            .WithSummary("The signed-in judge.");
        return app;
    }

    /// <summary>Ends every session of the judge signed in with this request's cookie, and drops the cookie.</summary>
    public static async Task SignOutAsync(HttpContext context, JudgeAccounts accounts)
    {
        var result = await context.AuthenticateAsync(Roles.Schemes.JudgeCookie);
        if (IdOf(result.Principal) is { } id)
        {
            await accounts.RevokeSessionsAsync(id);
        }

        await context.SignOutAsync(Roles.Schemes.JudgeCookie);
    }

    /// <summary>The routes a judge calls with the judge cookie: their panel, scores and videos, their sign-in.</summary>
    public static bool IsJudgeApi(PathString path) =>
        path.StartsWithSegments("/api/judging/panel", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/api/judging/entries", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/api/auth/judge", StringComparison.OrdinalIgnoreCase);

    /// <summary>The judge's id in a principal of the judge cookie, or null.</summary>
    public static int? IdOf(ClaimsPrincipal? user) =>
        user?.IsInRole(Roles.Judge) == true && int.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    private static async Task<Results<Ok<SignedInJudge>, ProblemHttpResult>> LoginAsync(
        JudgeLoginRequest request, JudgeAccounts accounts, SignInGuard guard, HttpContext context, CancellationToken ct)
    {
        var attempt = guard.Begin(context, "judge:" + request.Name.Trim().ToLowerInvariant());
        if (guard.TryStart(attempt) is { } wait)
        {
            return RateLimits.TooManyRequests(context, wait, "Too many wrong passwords.");
        }

        if (await accounts.CheckPasswordAsync(request.Name, request.Password, ct) is not { } judge)
        {
            guard.Failed(attempt);
            return new Refusal(StatusCodes.Status401Unauthorized, "Sign-in failed",
                "That name and password do not match an active judge. A judge who has not set a password yet uses the invite link.").ToProblem();
        }

        guard.Succeeded(context, attempt);
        await SignInAsync(context, judge);
        return TypedResults.Ok(new SignedInJudge(judge.Id, judge.Name));
    }

    private static async Task<Results<Ok<SignedInJudge>, ProblemHttpResult>> AcceptInviteAsync(
        JudgeInviteRequest request, JudgeAccounts accounts, SignInGuard guard, HttpContext context, CancellationToken ct)
    {
        if (JudgeAccounts.PasswordProblem(request.Password) is { } problem)
        {
            return Outcomes.Invalid("password", problem);
        }

        var attempt = guard.Begin(context, "judge-invite");
        if (guard.TryStart(attempt) is { } wait)
        {
            return RateLimits.TooManyRequests(context, wait, "Too many unknown invites.");
        }

        if (await accounts.AcceptInviteAsync(request.Invite, request.Password, ct) is not { } judge)
        {
            guard.Failed(attempt);
            return new Refusal(StatusCodes.Status404NotFound, "Unknown invite",
                "This invite link has been used, replaced or revoked: ask the coordinator for a new one.", "invite-unknown", "invite").ToProblem();
        }

        guard.Succeeded(context, attempt);
        await SignInAsync(context, judge);
        return TypedResults.Ok(new SignedInJudge(judge.Id, judge.Name));
    }

    private static Task SignInAsync(HttpContext context, JudgeAccounts.SignedIn judge)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, judge.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, judge.Name),
                new Claim(ClaimTypes.Role, Roles.Judge),
                new Claim(StaffSessions.StampClaim, judge.Stamp),
            ],
            Roles.Schemes.JudgeCookie);
        return context.SignInAsync(Roles.Schemes.JudgeCookie, new ClaimsPrincipal(identity));
    }

    /// <summary>The cookie handler's check on every request: a judge disabled, signed out elsewhere or with a new
    /// password has another stamp (or none), and the cookie is dropped.</summary>
    private static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var accounts = context.HttpContext.RequestServices.GetRequiredService<JudgeAccounts>();
        var stamp = IdOf(context.Principal) is { } id ? await accounts.CurrentStampAsync(id, context.HttpContext.RequestAborted) : null;
        if (stamp is null || stamp != context.Principal!.FindFirstValue(StaffSessions.StampClaim))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Roles.Schemes.JudgeCookie);
        }
    }
}
