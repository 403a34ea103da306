using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Room;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AmvScreening.Server.Consoles.Pages.Staff;

/// <summary>The QR alone, full screen, for a second screen in the room; follows rotations live (RoomChanged).</summary>
public sealed class QrModel(JoinLinks links, ContestStore contest) : PageModel
{
    public RoomInfo Room { get; private set; } = new("", "");

    public string ContestName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Room = await links.GetAsync(Request, ct);
        ContestName = (await contest.GetDetailsAsync(ct)).Name;
    }
}
