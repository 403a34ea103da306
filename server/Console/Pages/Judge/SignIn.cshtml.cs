using AmvScreening.Server.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AmvScreening.Server.Consoles.Pages.Judge;

/// <summary>A judge's sign-in (name and password) and the invite page (choose a password): both go on to the judge's
/// panel, or to the judge page that sent the visitor here.</summary>
public sealed class SignInModel : PageModel
{
    public const string Panel = "/console/judge";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Expired { get; set; }

    public bool SessionEnded => Expired is "1" or "true";

    /// <summary>Where the page goes once signed in: a judge page only.</summary>
    public string Next => ConsolePaths.SafeReturnUrl(ReturnUrl) is var url && url.StartsWith(Panel, StringComparison.Ordinal) ? url : Panel;
}
