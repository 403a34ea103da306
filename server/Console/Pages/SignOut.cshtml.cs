using AmvScreening.Server.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AmvScreening.Server.Consoles.Pages;

/// <summary>Ends the staff session (a form post with its antiforgery token).</summary>
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect(ConsolePaths.Root);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(Roles.Schemes.StaffCookie);
        return Redirect(ConsolePaths.SignIn);
    }
}
