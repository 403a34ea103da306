using AmvScreening.Server.Cards;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Room;
using Microsoft.AspNetCore.Mvc;

namespace AmvScreening.Server.Consoles.Pages.Coordinator;

/// <summary>
/// The printable sheet of a batch's ballot cards (cards <c>from</c>..<c>to</c>, at most <see cref="MaxCards"/>): 10 per
/// A4 or Letter page, each with its number, its key and a QR code that opens the phone app with the key in the URL's
/// fragment (browsers never send it: it reaches no log). The keys are derived again here, never read from storage;
/// the page is not cached.
/// </summary>
public sealed class CardsModel(BallotCards cards, JoinLinks links, ContestStore contest) : PrintablePage
{
    public const int PerPage = 10;
    public const int MaxCards = 500;

    [BindProperty(Name = "batch", SupportsGet = true)]
    public long BatchId { get; set; }

    [BindProperty(SupportsGet = true)]
    public int From { get; set; } = 1;

    [BindProperty(SupportsGet = true)]
    public int? To { get; set; }

    public CardBatch? Batch { get; private set; }

    public IReadOnlyList<PrintedCard> Cards { get; private set; } = [];

    public string ContestName { get; private set; } = "";

    /// <summary>Where to type a key: the phone app's address without a code.</summary>
    public string PhoneUrl { get; private set; } = "";

    public string Message { get; private set; } = "";

    private string _baseUrl = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        PreparePrint();
        var batch = await cards.GetBatchAsync(BatchId, ct);
        if (batch is null || batch.RevokedAt is not null)
        {
            Message = batch is null ? "There is no such batch." : "This batch has been revoked: its cards no longer vote.";
            return;
        }

        From = Math.Clamp(From, 1, batch.Size);
        To = Math.Clamp(To ?? batch.Size, From, Math.Min(batch.Size, From + MaxCards - 1));
        Batch = batch;
        Cards = cards.Print(batch.Id, From, To.Value);
        _baseUrl = await links.BaseUrlAsync(Request, ct);
        PhoneUrl = _baseUrl + "/v";
        var details = await contest.GetDetailsAsync(ct);
        ContestName = $"{details.Name} {details.Year}";
        Message = $"Cards {From}–{To} of {batch.Size} ({(Cards.Count + PerPage - 1) / PerPage} pages).";
    }

    public string QrSvg(PrintedCard card) => QrImages.Svg(JoinLinks.CardUrl(_baseUrl, card.Key));

    public static string Format(string key) => CardKeys.Format(key);

    public string Link(string paper) => $"?batch={BatchId}&from={From}&to={To}&paper={paper}";
}
