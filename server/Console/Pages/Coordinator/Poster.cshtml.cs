using AmvScreening.Server.Contest;
using AmvScreening.Server.Room;
using Microsoft.AspNetCore.Mvc;

namespace AmvScreening.Server.Consoles.Pages.Coordinator;

/// <summary>The printable poster of one poster code: the contest's name, the QR, the code and the short URL, on A4 or
/// US Letter. Without a poster chosen (or a revoked one), it offers the valid posters.</summary>
public sealed class PosterModel(RoomCodes codes, JoinLinks links, ContestStore contest) : PrintablePage
{
    [BindProperty(Name = "poster", SupportsGet = true)]
    public long? PosterId { get; set; }

    public IReadOnlyList<PosterCode> Posters { get; private set; } = [];

    public PosterCode? Poster { get; private set; }

    public string JoinUrl { get; private set; } = "";

    /// <summary>The QR as inline SVG (made here: no code travels in an image URL).</summary>
    public string QrSvg { get; private set; } = "";

    public string ContestName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        PreparePrint();
        Posters = [.. (await codes.GetPostersAsync(ct)).Where(p => p.RevokedAt is null)];
        Poster = Posters.FirstOrDefault(p => p.Id == PosterId);
        if (Poster is not null)
        {
            JoinUrl = JoinLinks.JoinUrl(await links.BaseUrlAsync(Request, ct), Poster.Code);
            QrSvg = QrImages.Svg(JoinUrl);
        }

        var details = await contest.GetDetailsAsync(ct);
        ContestName = $"{details.Name} {details.Year}";
    }
}
