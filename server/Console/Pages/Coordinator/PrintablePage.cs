using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AmvScreening.Server.Consoles.Pages.Coordinator;

/// <summary>A page printed on A4 or US Letter (<c>?paper=a4|letter</c>; the CSS <c>@page</c> size follows). It shows
/// codes or keys, so it is never cached.</summary>
public abstract class PrintablePage : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Paper { get; set; } = "a4";

    public string PageSize => Paper == "letter" ? "letter portrait" : "A4 portrait";

    /// <summary>Call first in OnGet: any other paper is A4; the answer is not stored.</summary>
    protected void PreparePrint()
    {
        Paper = Paper == "letter" ? "letter" : "a4";
        Response.Headers.CacheControl = "no-store";
    }
}
