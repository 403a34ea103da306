using AmvScreening.Server.Judging;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AmvScreening.Server.Consoles.Pages.Judge;

/// <summary>Ends the judge's sessions (a form post with its antiforgery token), as <c>POST /api/auth/judge/logout</c> does.</summary>
public sealed class SignOutModel(JudgeAccounts accounts) : PageModel
{
    public IActionResult OnGet() => Redirect(SignInModel.Panel);

    public async Task<IActionResult> OnPostAsync()
    {
        await JudgeSessions.SignOutAsync(HttpContext, accounts);
        return Redirect(JudgeSessions.SignInPage);
    }
}
