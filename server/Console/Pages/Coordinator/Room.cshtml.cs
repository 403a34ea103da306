using AmvScreening.Protocol;
using AmvScreening.Server.Room;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AmvScreening.Server.Consoles.Pages.Coordinator;

public sealed class RoomModel(JoinLinks links) : PageModel
{
    public RoomInfo Room { get; private set; } = new("", "");

    public async Task OnGetAsync(CancellationToken ct) => Room = await links.GetAsync(Request, ct);
}
