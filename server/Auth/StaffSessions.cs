using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.SignalR;

namespace AmvScreening.Server.Auth;

/// <summary>
/// Staff sessions and how they end. Each session cookie carries its role's session stamp (<see cref="StampClaim"/>),
/// checked on every request: signing out — and a new password for the role — gives the role a new stamp, which ends
/// every session of that role on every device (the roles are shared accounts: signing out locks the role), and closes
/// the role's hub connections at once. A connection whose session ended otherwise is closed at its next call.
/// </summary>
public sealed class StaffSessions(SecretStore secrets)
{
    public const string StampClaim = "amv:session";

    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new();

    /// <summary>Starts a staff session (the <c>amv.staff</c> cookie) for a role whose password was checked.</summary>
    public Task SignInAsync(HttpContext context, string role)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, role), new Claim(ClaimTypes.Role, role), new Claim(StampClaim, secrets.SessionStamp(role)!)],
            Roles.Schemes.StaffCookie);
        return context.SignInAsync(Roles.Schemes.StaffCookie, new ClaimsPrincipal(identity));
    }

    /// <summary>Ends every session of the signed-in role (this one included) and drops the cookie.</summary>
    public async Task SignOutAsync(HttpContext context)
    {
        if (RoleOf(context.User) is { } role)
        {
            await secrets.RevokeSessionsAsync(role); // not cancelled with the request: a sign-out once asked for happens
            foreach (var connection in _connections.Values.Where(c => RoleOf(c.User) == role))
            {
                connection.Abort();
            }
        }

        await context.SignOutAsync(Roles.Schemes.StaffCookie);
    }

    /// <summary>A staff principal whose session has not been ended (false for anyone else).</summary>
    public bool IsCurrent(ClaimsPrincipal? user) =>
        RoleOf(user) is { } role && user!.FindFirstValue(StampClaim) is { } stamp && stamp == secrets.SessionStamp(role);

    /// <summary>The cookie handler's check on every request: an ended session is no session, and its cookie is dropped.</summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        if (!context.HttpContext.RequestServices.GetRequiredService<StaffSessions>().IsCurrent(context.Principal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Roles.Schemes.StaffCookie);
        }
    }

    private static string? RoleOf(ClaimsPrincipal? user) =>
        user?.IsInRole(Roles.Coordinator) == true ? Roles.Coordinator : user?.IsInRole(Roles.Booth) == true ? Roles.Booth : null;

    /// <summary>Keeps the staff connections of the show hub, to close them when their session ends, and refuses calls
    /// on a connection whose session has ended.</summary>
    public sealed class HubFilter(StaffSessions sessions) : IHubFilter
    {
        public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
        {
            if (RoleOf(context.Context.User) is not null)
            {
                sessions._connections[context.Context.ConnectionId] = context.Context;
                // After registering: a sign-out between the cookie check and here has not seen this connection.
                if (!sessions.IsCurrent(context.Context.User))
                {
                    context.Context.Abort();
                }
            }

            await next(context);
        }

        public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
        {
            sessions._connections.TryRemove(context.Context.ConnectionId, out _);
            await next(context, exception);
        }

        public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
        {
            var caller = invocation.Context;
            if (RoleOf(caller.User) is not null && !sessions.IsCurrent(caller.User))
            {
                caller.Abort();
                throw new HubException("Your session has ended: sign in again.");
            }

            return next(invocation);
        }
    }
}
