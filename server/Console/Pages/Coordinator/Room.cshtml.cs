using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Room;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AmvScreening.Server.Consoles.Pages.Coordinator;

/// <summary>The screen code, the poster codes and the ballot cards (docs/room-codes-and-cards.md); the lists are filled
/// by room.js from the API.</summary>
public sealed class RoomModel(JoinLinks links, ContestStore contest) : PageModel
{
    public RoomInfo Room { get; private set; } = new("", "");

    public string RotationSummary { get; private set; } = "";

    public string CardModeSummary { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Room = await links.GetAsync(Request, ct);
        var details = await contest.GetDetailsAsync(ct);
        var rotation = details.RoomCode;
        string[] when =
        [
            .. rotation.RotateAtCategoryCard ? ["at each category's title card"] : Array.Empty<string>(),
            .. rotation.RotateEveryMinutes is { } minutes ? [$"every {minutes} minutes"] : Array.Empty<string>(),
        ];
        RotationSummary = when.Length == 0
            ? "It rotates only when you rotate it."
            : $"It rotates by itself {string.Join(" and ", when)} (the old code still joins for a minute).";
        CardModeSummary = details.Voting.RequireCards
            ? "This contest votes with ballot cards: only phones holding a card vote; the codes let phones follow the show."
            : "This contest votes in open mode: any phone that joined votes. Cards work too, as a way in.";
    }
}
