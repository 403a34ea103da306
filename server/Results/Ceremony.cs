using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Infrastructure;
using AmvScreening.Server.LiveShow;
using AmvScreening.Slates;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using static AmvScreening.Protocol.ResultsContract;

namespace AmvScreening.Server.Results;

/// <summary>One step of the prizegiving (docs/prizegiving.md).</summary>
/// <param name="Kind"><c>nominees</c> (a category's finalists, in running order) or <c>prize</c> (a winner slate).</param>
/// <param name="Scope">What the slate lists or announces: <c>category:{id}</c>, <c>best-in-show</c>, <c>award:{id}</c>.</param>
/// <param name="Reveal">For a prize, the reveal it makes (<c>category:{id}</c>, <c>best-in-show</c>, <c>awards</c>).</param>
/// <param name="Revealed">A prize already revealed (a nominees step: always true, nothing in it is secret).</param>
/// <param name="Blocker">Why the prize cannot be revealed now (a <see cref="Reasons"/> value), or null.</param>
/// <param name="Presenter">What the MC reads: the category, the titles and editors. For a prize not yet revealed it names
/// the winner: the console shows it only when the coordinator asks (rehearsal).</param>
public sealed record CeremonyStep(
    string Kind, string Scope, string Heading, string? Reveal, bool Revealed, string? Blocker, string Presenter);

/// <summary>The prizegiving, step by step, and the contest's choice of what it shows per category.</summary>
public sealed record CeremonyPlan(string Prizegiving, IReadOnlyList<CeremonyStep> Steps);

/// <summary>Which step the console asks for.</summary>
public sealed record CeremonyStepRequest(string Kind, string Scope);

/// <summary>
/// The prizegiving computed from the contest and the tally: per category in running order its nominees then its
/// winner; then Best In Show; then each of the judges' awards. Showing a step reveals it first when it is a prize (the
/// results' own reveal, refused while anything blocks it) and sends the slate to the player. The slate a step shows is
/// made by <see cref="PrizegivingSlates"/> and drawn by <see cref="SvgSlateRenderer"/>, as on the player.
/// </summary>
public sealed class Ceremony(ContestStore contest, ResultsService results, PlayerCommandSender sender, SvgSlateRenderer renderer)
{
    public const string Nominees = "nominees";
    public const string Prize = "prize";

    public async Task<CeremonyPlan> GetAsync(CancellationToken ct = default)
    {
        var view = await contest.GetAsync(ct);
        var tally = (await results.GetAsync(ct)).Tally;
        var entries = view.Summaries();
        var steps = new List<CeremonyStep>();
        foreach (var category in tally.Categories.Where(c => c.Rows.Count > 0))
        {
            var scope = Scopes.Category(category.CategoryId);
            var finalists = NomineesOf(view, category.CategoryId);
            steps.Add(new CeremonyStep(Nominees, scope, category.Name, null, true, null,
                $"The nominees for {category.Name} are: {string.Join("; ", finalists.Select(Credit))}."));
            steps.Add(PrizeStep(scope, scope, category.Name, category.Outcome, category.RevealedAt, entries,
                winner => $"And the winner of {category.Name} is… {Credit(winner)}!"));
        }

        var best = tally.BestInShow;
        steps.Add(PrizeStep(Scopes.BestInShow, Scopes.BestInShow, PrizegivingSlates.BestInShow, best.Outcome, best.RevealedAt, entries,
            winner => $"And this year’s Best In Show goes to… {Credit(winner)}, from {winner.Category}!"));
        foreach (var award in tally.Awards.Awards)
        {
            steps.Add(new CeremonyStep(Prize, Scopes.Award(award.Id), award.Name, Scopes.Award(award.Id), award.RevealedAt is not null, null,
                $"The {award.Name} goes to… {Credit(award.Entry)}!{(award.Note is { } note ? $" ({note})" : "")}"));
        }

        return new CeremonyPlan(view.Contest.Prizegiving, steps);
    }

    /// <summary>The step's slate as the projector will show it: the same data and the same renderer as the player's.
    /// A prize not yet revealed is drawn from what its reveal would publish (nothing is recorded or sent).</summary>
    public async Task<Outcome<string>> PreviewAsync(CeremonyStepRequest request, CancellationToken ct = default)
    {
        if (await FindAsync(request, ct) is not { } step)
        {
            return Outcome<string>.NotFound;
        }

        var view = await contest.GetAsync(ct);
        var slate = step.Kind == Nominees
            ? PrizegivingSlates.Nominees(view.Contest.Name, step.Heading, NomineesOf(view, Scopes.CategoryIdOf(step.Scope)!.Value))
            : PrizegivingSlates.Prize(view.Contest.Name,
                step.Revealed ? await results.GetPublicAsync(ct) : await results.PreviewRevealAsync(step.Reveal!, ct), step.Scope);
        return slate is null
            ? Refusal.Conflict(step.Blocker ?? Reasons.NoVotes, "There is no winner to show yet: " + (step.Blocker ?? Reasons.NoVotes) + ".")
            : renderer.Compose(slate);
    }

    /// <summary>Puts the step on the projector: a prize is revealed first (to everyone, as the Reveal button does).</summary>
    public async Task<Outcome<CeremonyPlan>> ShowAsync(CeremonyStepRequest request, CancellationToken ct = default)
    {
        if (await FindAsync(request, ct) is not { } step)
        {
            return Outcome<CeremonyPlan>.NotFound;
        }

        if (step.Kind == Prize && !step.Revealed && (await results.RevealAsync(step.Reveal!, ct)).Refusal is { } refused)
        {
            return refused;
        }

        var kind = step.Kind == Nominees ? PlayerCommandKind.ShowNominees : PlayerCommandKind.ShowPrize;
        try
        {
            await sender.SendAsync(new PlayerCommand(Guid.NewGuid(), kind, Scope: step.Scope), ct);
        }
        catch (HubException e)
        {
            return Refusal.Conflict("not-shown", e.Message);
        }

        return await GetAsync(ct);
    }

    private async Task<CeremonyStep?> FindAsync(CeremonyStepRequest request, CancellationToken ct) =>
        (await GetAsync(ct)).Steps.FirstOrDefault(s => s.Kind == request.Kind && s.Scope == request.Scope);

    private static CeremonyStep PrizeStep(string scope, string reveal, string heading, PrizeOutcome outcome, DateTimeOffset? revealedAt,
        IReadOnlyDictionary<int, EntrySummary> entries, Func<EntrySummary, string> line) =>
        new(Prize, scope, heading, reveal, revealedAt is not null, revealedAt is null ? outcome.Blocker : null,
            outcome.WinnerId is { } id ? line(entries[id]) : $"{heading}: no winner yet ({outcome.Blocker ?? Reasons.NoVotes}).");

    /// <summary>A category's finalists in running order, disqualified ones left out (never in rank order): the nominees
    /// slate's list, here and on the screen view.</summary>
    public static List<EntrySummary> NomineesOf(ContestView view, int categoryId)
    {
        var summaries = view.Summaries();
        return view.Entries.Where(e => e.CategoryId == categoryId && !e.Disqualified).Select(e => summaries[e.Id]).ToList();
    }

    /// <summary>“Title” by A & B.</summary>
    private static string Credit(EntrySummary entry) =>
        $"“{entry.Title}”{(entry.Editors.Count > 0 ? " by " + SlateNames(entry.Editors) : "")}";

    private static string SlateNames(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " & " + names[^1];

    /// <summary>The renderer of the previews: the player's defaults, or the coordinator's templates when the server
    /// is told where they are (<see cref="AmvOptions.SlateTemplates"/>).</summary>
    public static SvgSlateRenderer CreateRenderer(IServiceProvider services) => new(
        services.GetRequiredService<IOptions<AmvOptions>>().Value.SlateTemplates,
        Path.Combine(Path.GetTempPath(), "amvscreening-preview-slates"),
        services.GetRequiredService<ILogger<Ceremony>>());
}
