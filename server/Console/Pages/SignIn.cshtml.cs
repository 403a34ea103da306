using AmvScreening.Server.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AmvScreening.Server.Consoles.Pages;

/// <summary>Staff sign-in: role and password, sent by the page's script to the one sign-in route
/// (<see cref="AuthEndpoints.LoginPath"/>); then on to where the visitor was sent from, if that is a console page.</summary>
public sealed class SignInModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>"1" when a console page sent the visitor back because the session had ended.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Expired { get; set; }

    public bool SessionEnded => Expired is "1" or "true";

    /// <summary>Where the page goes once signed in.</summary>
    public string Next => ConsolePaths.SafeReturnUrl(ReturnUrl);
}
