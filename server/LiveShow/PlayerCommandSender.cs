using AmvScreening.Protocol;
using AmvScreening.Server.Contest;
using AmvScreening.Server.Results;
using Microsoft.AspNetCore.SignalR;

namespace AmvScreening.Server.LiveShow;

/// <summary>
/// The projectionist's commands on their way to the player, checked at the edge: a command that is not well-formed
/// (<see cref="PlayerCommandRules"/>), a jump to an entry that is not a finalist in the show, or a winner slate for an
/// entry whose win has not been revealed is refused with a <see cref="HubException"/> saying why, and nothing is sent.
/// </summary>
public sealed class PlayerCommandSender(ContestStore contest, ResultsService results, Broadcaster broadcaster, ILogger<PlayerCommandSender> logger)
{
    public async Task SendAsync(PlayerCommand? command, CancellationToken ct = default)
    {
        if ((PlayerCommandRules.Problem(command) ?? await ProblemWithEntryAsync(command!, ct)) is { } problem)
        {
            logger.LogWarning("Refused a player command: {Problem}", problem);
            throw new HubException($"Command refused: {problem}");
        }

        broadcaster.PlayerCommand(command!);
    }

    private async Task<string?> ProblemWithEntryAsync(PlayerCommand command, CancellationToken ct)
    {
        switch (command)
        {
            case { Kind: PlayerCommandKind.JumpToEntry, EntryId: { } id }:
                var entry = (await contest.GetAsync(ct)).Entries.FirstOrDefault(e => e.Id == id);
                return entry is null ? $"there is no finalist {id}."
                    : entry.Disqualified ? $"finalist {id} (\"{entry.Title}\") is disqualified: it is not in the show."
                    : null;
            case { Kind: PlayerCommandKind.ShowWinner, EntryId: { } id }:
                return await results.IsRevealedWinnerAsync(id, ct) ? null
                    : $"entry {id} has won nothing revealed yet: reveal its category, Best In Show or the awards first.";
            case { Kind: PlayerCommandKind.ShowNominees, Scope: var scope }:
                var categoryId = ResultsContract.Scopes.CategoryIdOf(scope);
                return (await contest.GetAsync(ct)).Entries.Any(e => e.CategoryId == categoryId && !e.Disqualified) ? null
                    : $"there is no category {categoryId} with finalists.";
            case { Kind: PlayerCommandKind.ShowPrize, Scope: { } prize }:
                return (await results.GetPublicAsync(ct)).WinnerOf(prize) is not null ? null
                    : $"'{prize}' is not revealed (or does not exist): reveal it first.";
            default:
                return null;
        }
    }
}
