using AmvScreening.Server.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace AmvScreening.Server.Consoles.Pages;

/// <summary>Staff sign-in: role and password, a form post with its antiforgery token; back to where the visitor was sent from.</summary>
[EnableRateLimiting(ConsoleSetup.SignInRateLimit)]
public sealed class SignInModel(SecretStore secrets) : PageModel
{
    [BindProperty]
    public string Role { get; set; } = Roles.Coordinator;

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>"1" when a console page sent the visitor back because the session had ended.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Expired { get; set; }

    public bool SessionEnded => Expired is "1" or "true";

    public string? Error { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Role is not (Roles.Coordinator or Roles.Booth))
        {
            Error = "Choose Coordinator or Booth.";
            return Page();
        }

        if (!secrets.CheckPassword(Role, Password))
        {
            Error = $"That is not the {Role} password.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await AuthEndpoints.SignInAsync(HttpContext, Role);
        return LocalRedirect(SafeReturnUrl(ReturnUrl, Role));
    }

    /// <summary>Only a console page of this server; a booth account goes to its remote unless sent elsewhere.</summary>
    internal static string SafeReturnUrl(string? returnUrl, string role) =>
        returnUrl is { Length: > 1 } url && url.StartsWith(ConsolePaths.Root, StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.Contains('\\') && !url.StartsWith(ConsolePaths.SignIn, StringComparison.Ordinal)
            ? url
            : IndexModel.HomeOf(role);
}
