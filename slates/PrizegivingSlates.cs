using AmvScreening.Protocol;

namespace AmvScreening.Slates;

/// <summary>The prizegiving's slates (docs/prizegiving.md) made from what both sides know: the player from its running
/// order and the results pushed to it, the reveal console's preview from the same data on the server. One place, so the
/// preview is the slate the projector shows.</summary>
public static class PrizegivingSlates
{
    public const string BestInShow = "Best In Show";

    /// <summary>A category's nominees slate: its finalists in running order (never in rank order).</summary>
    public static SlateData Nominees(string contestName, string category, IReadOnlyList<EntrySummary> finalists) =>
        new(SlateKind.Nominees, contestName, category, Nominees: finalists);

    /// <summary>The winner slate of a prize in <paramref name="results"/> (<c>category:{id}</c> with its placings when
    /// the results carry them, <c>best-in-show</c>, <c>award:{id}</c> with the award's note); null when the results
    /// do not name its winner (not revealed).</summary>
    public static SlateData? Prize(string contestName, PublicResults results, string scope)
    {
        if (results.WinnerOf(scope) is not { } winner)
        {
            return null;
        }

        if (ResultsContract.Scopes.CategoryIdOf(scope) is { } categoryId)
        {
            var category = results.Categories.First(c => c.CategoryId == categoryId);
            return new SlateData(SlateKind.Winner, contestName, category.Name, winner, Prize: category.Name, Placings: category.Placings);
        }

        if (ResultsContract.Scopes.AwardIdOf(scope) is { } awardId)
        {
            var award = results.Awards!.Awards.First(a => a.Id == awardId);
            return new SlateData(SlateKind.Winner, contestName, winner.Category, winner, Prize: award.Name, Message: award.Note);
        }

        return new SlateData(SlateKind.Winner, contestName, winner.Category, winner, Prize: BestInShow);
    }
}
