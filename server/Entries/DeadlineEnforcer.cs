using AmvScreening.Server.Contest;
using AmvScreening.Server.Data;
using Dapper;

namespace AmvScreening.Server.Entries;

/// <summary>
/// The entry rules again once the deadline has passed (<see cref="EntryRules.AtDeadline"/>): every entry not withdrawn
/// gets the rule it breaks written to <c>submissions.deadline_rule</c> and <c>deadline_problem</c> (cleared when it
/// breaks none), for the coordinator's Entries page and the entrant's page. Runs every <see cref="Period"/> from the
/// deadline on, so a file whose check was still running at the deadline is judged when the check ends, and a later
/// change of the rules by the coordinator is applied too. Before the deadline it does nothing.
/// </summary>
public sealed class DeadlineEnforcer(Db db, TimeProvider clock, ILogger<DeadlineEnforcer> log) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    private const string SelectFacts = """
        SELECT id AS Id, person AS Person, category_id AS CategoryId, premiered_on AS PremieredOn, submitted_at AS SubmittedAt,
               file_path IS NOT NULL AS HasFile, check_state AS CheckState, check_message AS CheckMessage,
               deadline_rule AS DeadlineRule, deadline_problem AS DeadlineProblem
        FROM submissions WHERE withdrawn_at IS NULL
        """;

    private const string UpdateBreach = "UPDATE submissions SET deadline_rule = @Rule, deadline_problem = @Problem WHERE id = @Id";

    /// <summary>One pass: how many entries' marks changed (0 before the deadline).</summary>
    public async Task<int> EnforceAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var settings = (await ContestStore.GetDetailsAsync(connection, tx)).Entries;
        if (!EntryRules.DeadlinePassed(settings, clock.GetUtcNow()))
        {
            return 0;
        }

        var rows = (await connection.QueryAsync<FactsRow>(SelectFacts, transaction: tx)).AsList();
        // A file still waiting for or in its check is judged once the check ends.
        var judged = rows.Where(r => r.CheckState is not ("queued" or "running")).ToList();
        var breaches = EntryRules.AtDeadline(
            [.. judged.Select(r => new EntryRules.EntryFacts(r.Id, r.Person, r.CategoryId, r.PremieredOn, r.SubmittedAt, r.HasFile, r.CheckState, r.CheckMessage))],
            settings);
        var changed = judged
            .Select(r => (Row: r, Breach: breaches.GetValueOrDefault(r.Id)))
            .Where(x => x.Row.DeadlineRule != x.Breach?.Rule || x.Row.DeadlineProblem != x.Breach?.Message)
            .Select(x => new { x.Row.Id, x.Breach?.Rule, Problem = x.Breach?.Message })
            .ToList();
        await connection.ExecuteAsync(UpdateBreach, changed, tx);
        await tx.CommitAsync(ct);
        return changed.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, clock);
        do
        {
            try
            {
                if (await EnforceAsync(stoppingToken) is > 0 and var changed)
                {
                    log.LogInformation("Entry deadline: {Count} entries' rule marks changed.", changed);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Entry deadline: the rules could not be checked this time; trying again in {Period}.", Period);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private sealed class FactsRow
    {
        public long Id { get; init; }
        public string Person { get; init; } = "";
        public int CategoryId { get; init; }
        public string PremieredOn { get; init; } = "";
        public string SubmittedAt { get; init; } = "";
        public bool HasFile { get; init; }
        public string CheckState { get; init; } = "none";
        public string? CheckMessage { get; init; }
        public string? DeadlineRule { get; init; }
        public string? DeadlineProblem { get; init; }
    }
}
