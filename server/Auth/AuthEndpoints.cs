using System.Security.Claims;
using AmvScreening.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AmvScreening.Server.Auth;

public static class AuthEndpoints
{
    public sealed record LoginRequest(string Role, string Password);

    public sealed record Me(string Role);

    /// <summary>The one sign-in route: the console's sign-in page posts here too.</summary>
    public const string LoginPath = "/api/auth/login";

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Sign-in");

        group.MapPost("/login", Login)
            .WithSummary("Staff sign-in: role 'coordinator' or 'booth' and its password; sets the session cookie. Wrong passwords are throttled (429 with Retry-After).");
        group.MapPost("/logout", async (HttpContext context, StaffSessions sessions) =>
        {
            await sessions.SignOutAsync(context);
            return TypedResults.NoContent();
        }).WithSummary("Ends every session of the signed-in role, on every device.");
        group.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new Me(user.FindFirstValue(ClaimTypes.Role)!)))
            .RequireAuthorization(Roles.Policies.Staff)
            .WithSummary("The signed-in staff member's role.");
        return app;
    }

    private static async Task<Results<Ok<Me>, ProblemHttpResult>> Login(
        LoginRequest request, SecretStore secrets, SignInGuard guard, StaffSessions sessions, HttpContext context)
    {
        if (request.Role is not (Roles.Coordinator or Roles.Booth))
        {
            return Outcomes.Invalid("role", $"Role must be '{Roles.Coordinator}' or '{Roles.Booth}'.");
        }

        var attempt = guard.Begin(context, request.Role);
        if (guard.TryStart(attempt) is { } wait)
        {
            return RateLimits.TooManyRequests(context, wait, "Too many wrong passwords.");
        }

        if (!secrets.CheckPassword(request.Role, request.Password))
        {
            guard.Failed(attempt);
            return new Refusal(StatusCodes.Status401Unauthorized, "Sign-in failed", $"That is not the {request.Role} password.").ToProblem();
        }

        guard.Succeeded(context, attempt);
        await sessions.SignInAsync(context, request.Role);
        return TypedResults.Ok(new Me(request.Role));
    }
}
