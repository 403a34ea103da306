using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using AmvScreening.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AmvScreening.Server.Auth;

public static class AuthEndpoints
{
    public sealed record LoginRequest(string Role, string Password);

    public sealed record Me(string Role);

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Sign-in");

        group.MapPost("/login", Login).RequireRateLimiting(RateLimits.Login)
            .WithSummary("Staff sign-in: role 'coordinator' or 'booth' and its password; sets the session cookie.");
        group.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(Roles.Schemes.StaffCookie);
            return TypedResults.NoContent();
        }).WithSummary("Ends the staff session.");
        group.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new Me(user.FindFirstValue(ClaimTypes.Role)!)))
            .RequireAuthorization(Roles.Policies.Staff)
            .WithSummary("The signed-in staff member's role.");
        return app;
    }

    private static async Task<Results<Ok<Me>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, SecretStore secrets, HttpContext context)
    {
        if (request.Role is not (Roles.Coordinator or Roles.Booth))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["role"] = [$"Role must be '{Roles.Coordinator}' or '{Roles.Booth}'."] });
        }

        if (!secrets.CheckPassword(request.Role, request.Password))
        {
            return TypedResults.Problem(
                title: "Sign-in failed", detail: "Wrong password for that role.", statusCode: StatusCodes.Status401Unauthorized);
        }

        await SignInAsync(context, request.Role);
        return TypedResults.Ok(new Me(request.Role));
    }

    /// <summary>Starts a staff session (the <c>amv.staff</c> cookie) for a role whose password was checked; also used by
    /// the console's sign-in page.</summary>
    public static Task SignInAsync(HttpContext context, string role)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, role), new Claim(ClaimTypes.Role, role)], Roles.Schemes.StaffCookie);
        return context.SignInAsync(Roles.Schemes.StaffCookie, new ClaimsPrincipal(identity));
    }
}
