using Microsoft.AspNetCore.SignalR;

namespace AmvScreening.Server.LiveShow;

/// <summary>
/// While the server is stopping, a new hub connection is closed at once. SignalR closes the connections that are open
/// when the server begins to stop, but Kestrel goes on accepting for a moment; a client that reconnects quickly (the
/// player tries again after about 0.25 s) would land on the stopping server and hold up its stop until Kestrel's
/// shutdown timeout (30 s). Closed here, it tries again and reaches the next server.
/// </summary>
public sealed class StoppingHubFilter(IHostApplicationLifetime lifetime) : IHubFilter
{
    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            context.Context.Abort();
            return Task.CompletedTask;
        }

        return next(context);
    }
}
