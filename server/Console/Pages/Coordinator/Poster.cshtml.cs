using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Room;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AmvScreening.Server.Consoles.Pages.Coordinator;

/// <summary>The printable QR poster: the contest's name, the QR, the room code and the short URL, on A4 or US Letter.</summary>
public sealed class PosterModel(JoinLinks links, ContestStore contest) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Paper { get; set; } = "a4";

    public string PageSize => Paper == "letter" ? "letter portrait" : "A4 portrait";

    public RoomInfo Room { get; private set; } = new("", "");

    public string ContestName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Paper = Paper == "letter" ? "letter" : "a4";
        Room = await links.GetAsync(Request, ct);
        var details = await contest.GetDetailsAsync(ct);
        ContestName = $"{details.Name} {details.Year}";
    }
}
