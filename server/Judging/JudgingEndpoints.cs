using System.Security.Claims;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;

namespace AmvScreening.Server.Judging;

/// <summary>The judges' panel, their accounts and the coordinator's selection (docs/entries.md, "Judges" and
/// "Selection"): the route table.</summary>
public static class JudgingEndpoints
{
    public sealed record JudgeRequest(string Name, IReadOnlyList<int> CategoryIds);

    public sealed record OrderRequest(IReadOnlyList<int> SubmissionIds);

    public sealed record PublishRequest(bool Published);

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static string VideoPath(int submissionId) => $"/api/judging/entries/{submissionId}/video";

    public static IServiceCollection AddJudging(this IServiceCollection services, AmvOptions amv)
    {
        services.AddSingleton<JudgeAccounts>().AddSingleton<JudgingPanel>().AddSingleton<Selection>();
        services.AddAuthentication().AddJudgeCookie(amv);
        services.AddAuthorizationBuilder()
            .AddPolicy(Roles.Policies.Judge, p => p.AddAuthenticationSchemes(Roles.Schemes.JudgeCookie).RequireRole(Roles.Judge))
            .AddPolicy(Roles.Policies.JudgeOrCoordinator, p =>
                p.AddAuthenticationSchemes(Roles.Schemes.StaffCookie, Roles.Schemes.JudgeCookie).RequireRole(Roles.Judge, Roles.Coordinator));
        return services;
    }

    public static IEndpointRouteBuilder MapJudging(this IEndpointRouteBuilder app)
    {
        app.MapJudgeSignIn();

        var panel = app.MapGroup("/api/judging").WithTags("Judges");
        panel.MapGet("/panel", async (ClaimsPrincipal user, JudgingPanel judging, CancellationToken ct) =>
                TypedResults.Ok(await judging.GetAsync(JudgeSessions.IdOf(user)!.Value, user.Identity!.Name!, ct)))
            .RequireAuthorization(Roles.Policies.Judge)
            .WithSummary("The signed-in judge's categories and their entries (editors left out when judging is blind), the scale and the rules a flag names.");
        panel.MapPut("/entries/{submissionId:int}/score", async (int submissionId, JudgingPanel.MyScore request, ClaimsPrincipal user, JudgingPanel judging, CancellationToken ct) =>
                (await judging.ScoreAsync(JudgeSessions.IdOf(user)!.Value, submissionId, request, ct)).ToOk())
            .RequireAuthorization(Roles.Policies.Judge)
            .WithSummary("The judge's score (a whole number on the judging scale, or null), note and rule flag for an entry of their categories (404 otherwise).");
        panel.MapGet("/entries/{submissionId:int}/video", VideoAsync)
            .RequireAuthorization(Roles.Policies.JudgeOrCoordinator)
            .WithSummary("An entry's video (the web-playable copy when there is one), with range requests: judges of its category and coordinators.");

        var judges = app.MapGroup("/api/judging/judges").WithTags("Judges").RequireAuthorization(Roles.Policies.Coordinator);
        judges.MapGet("/", async (JudgeAccounts accounts, CancellationToken ct) => TypedResults.Ok(await accounts.ListAsync(ct)))
            .WithSummary("Every judge, their categories and state (invited, active, disabled).");
        judges.MapPost("/", async (JudgeRequest request, JudgeAccounts accounts, CancellationToken ct) =>
                (await accounts.CreateAsync(request.Name, request.CategoryIds, ct)).ToCreated(i => $"/api/judging/judges/{i.Judge.Id}"))
            .WithSummary("Create a judge for some categories; answers the invite link's path once (only its hash is kept).");
        judges.MapPut("/{judgeId:int}", async (int judgeId, JudgeRequest request, JudgeAccounts accounts, CancellationToken ct) =>
                (await accounts.UpdateAsync(judgeId, request.Name, request.CategoryIds, ct)).ToOk())
            .WithSummary("Rename a judge and replace their categories.");
        judges.MapPost("/{judgeId:int}/invite", async (int judgeId, JudgeAccounts accounts, CancellationToken ct) =>
                (await accounts.InviteAgainAsync(judgeId, ct)).ToOk())
            .WithSummary("A new invite link for a judge (the previous one stops working).");
        judges.MapPost("/{judgeId:int}/disable", async (int judgeId, JudgeAccounts accounts, CancellationToken ct) =>
                (await accounts.SetDisabledAsync(judgeId, disabled: true, ct)).ToOk())
            .WithSummary("Disable a judge: their sessions end at once; their scores stay.");
        judges.MapPost("/{judgeId:int}/enable", async (int judgeId, JudgeAccounts accounts, CancellationToken ct) =>
                (await accounts.SetDisabledAsync(judgeId, disabled: false, ct)).ToOk())
            .WithSummary("Enable a disabled judge again (they sign in with their password, or a new invite).");

        var selection = app.MapGroup("/api/selection").WithTags("Selection").RequireAuthorization(Roles.Policies.Coordinator);
        selection.MapGet("/", async (Selection s, CancellationToken ct) => TypedResults.Ok(await s.GetAsync(ct)))
            .WithSummary("Per category, the entries ranked by the judges' mean score, with the spread, how many judges scored, notes and flags.");
        selection.MapPut("/entries/{submissionId:int}/outcome", async (int submissionId, Selection.OutcomeRequest request, Selection s, CancellationToken ct) =>
                (await s.SetOutcomeAsync(submissionId, request, ct)).ToNoContent())
            .WithSummary("Mark an entry finalist (409 finalist-limit), not-selected, disqualified (a reason required) or pending.");
        selection.MapPut("/categories/{categoryId:int}/order", async (int categoryId, OrderRequest request, Selection s, CancellationToken ct) =>
                (await s.OrderAsync(categoryId, request.SubmissionIds, ct)).ToNoContent())
            .WithSummary("The running order of a category's finalists: every finalist once.");
        selection.MapPost("/promote", async (Selection s, CancellationToken ct) => (await s.PromoteAsync(ct)).ToOk())
            .WithSummary("Make the finalists the show's finalists with their files and running order (409 votes-recorded while the show has votes).");
        selection.MapPut("/published", async (PublishRequest request, Selection s, CancellationToken ct) =>
                TypedResults.Ok(new { publishedAt = await s.PublishAsync(request.Published, ct) }))
            .WithSummary("Publish the outcomes to the entrants (or take them back).");
        selection.MapGet("/scores.csv", async (Selection s, CancellationToken ct) =>
                TypedResults.File(await s.ScoresCsvAsync(ct), CsvFiles.ContentType, "judges-scores.csv"))
            .WithSummary("Every judge's score, note and rule flag (CSV).");
        return app;
    }

    /// <summary>The file under no name of its own (the editor's file name may name them), with range requests.</summary>
    private static async Task<Results<PhysicalFileHttpResult, NotFound>> VideoAsync(
        int submissionId, ClaimsPrincipal user, JudgingPanel judging, CancellationToken ct)
    {
        // A coordinator may watch any entry; a judge only those of their categories.
        int? judge = user.IsInRole(Roles.Coordinator) ? null : JudgeSessions.IdOf(user);
        if (await judging.VideoFileAsync(submissionId, judge, ct) is not { } file || !File.Exists(file))
        {
            return TypedResults.NotFound();
        }

        var type = ContentTypes.TryGetContentType(file, out var known) ? known : "application/octet-stream";
        return TypedResults.PhysicalFile(file, type, enableRangeProcessing: true);
    }
}
