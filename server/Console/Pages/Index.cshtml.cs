using AmvScreening.Server.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AmvScreening.Server.Consoles.Pages;

/// <summary>/console: each role's own start page.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => Redirect(HomeOf(User.IsInRole(Roles.Coordinator) ? Roles.Coordinator : Roles.Booth));

    public static string HomeOf(string role) => role == Roles.Coordinator ? "/console/live" : "/console/booth";
}
