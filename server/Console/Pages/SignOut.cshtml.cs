using AmvScreening.Server.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AmvScreening.Server.Consoles.Pages;

/// <summary>Ends the role's sessions (a form post with its antiforgery token), as <c>POST /api/auth/logout</c> does.</summary>
public sealed class SignOutModel(StaffSessions sessions) : PageModel
{
    public IActionResult OnGet() => Redirect(ConsolePaths.Root);

    public async Task<IActionResult> OnPostAsync()
    {
        await sessions.SignOutAsync(HttpContext);
        return Redirect(ConsolePaths.SignIn);
    }
}
