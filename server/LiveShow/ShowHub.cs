using AmvScreening.Protocol;
using AmvScreening.Server.Auth;
using AmvScreening.Server.Voting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace AmvScreening.Server.LiveShow;

/// <summary>The show hub (docs/protocol.md). Anyone may connect; each connection joins the group of its role
/// (anonymous connections are voters), and the methods that act check the role.</summary>
public sealed class ShowHub(
    ShowService show, PlayerPresenceTracker presence, AudienceCounter audience, PlayerCommandSender commands, VoterTokens tokens, VoterRegistry voters,
    Results.ResultsService results)
    : Hub<IShowClient>, IShowHub
{
    public override async Task OnConnectedAsync()
    {
        var group = Context.User switch
        {
            { } u when u.IsInRole(Roles.Player) => ShowHubContract.Groups.Players,
            { } u when u.IsInRole(Roles.Coordinator) => ShowHubContract.Groups.Coordinators,
            { } u when u.IsInRole(Roles.Booth) => ShowHubContract.Groups.Booth,
            _ => ShowHubContract.Groups.Voters,
        };
        await Groups.AddToGroupAsync(Context.ConnectionId, group);
        // The screen view (/screen) hears what phones hear, but is no phone: it is not among the voters online.
        var screen = Context.GetHttpContext()?.Request.Query[ShowHubContract.AudienceQuery].ToString() == ShowHubContract.ScreenAudience;
        if (group == ShowHubContract.Groups.Voters && !screen)
        {
            audience.VoterConnected(Context.ConnectionId);
            // The phone's voter cookie comes with the WebSocket upgrade: the voter "opened the live connection".
            if (Context.GetHttpContext() is { } http && tokens.TryValidate(VoterTokens.FromRequest(http.Request), out var voter, out _))
            {
                await voters.RecordConnectedAsync(voter, Context.ConnectionAborted);
            }
        }
        else if (group != ShowHubContract.Groups.Voters)
        {
            audience.StaffConnected();
        }

        if (group == ShowHubContract.Groups.Players)
        {
            await presence.ConnectedAsync(Context.ConnectionId);
        }

        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await presence.DisconnectedAsync(Context.ConnectionId);
        audience.Disconnected(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    public Task<ShowState> GetShow() => Task.FromResult(show.Current);

    public Task<PublicResults> GetResults() => results.GetPublicAsync(Context.ConnectionAborted);

    [Authorize(Policy = Roles.Policies.Player)]
    public Task<ShowState> ReportOnScreen(OnScreenReport report) => show.ApplyReportAsync(report, Context.ConnectionAborted);

    [Authorize(Policy = Roles.Policies.Staff)]
    public Task SendPlayerCommand(PlayerCommand? command) => commands.SendAsync(command, Context.ConnectionAborted);

    [Authorize(Policy = Roles.Policies.Staff)]
    public Task<PlayerPresence> GetPlayerPresence() => Task.FromResult(presence.Current);
}
