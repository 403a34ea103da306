using System.Security.Claims;
using System.Text.Encodings.Web;
using AmvScreening.Protocol;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AmvScreening.Server.Auth;

/// <summary>Authenticates the player by the API key in the X-Api-Key header; wrong keys are throttled per address
/// (<see cref="PlayerKeyGuard"/>).</summary>
public sealed class PlayerApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, SecretStore secrets, PlayerKeyGuard guard)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ShowHubContract.ApiKeyHeader, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var attempt = guard.Begin(GuessThrottle.AddressKey(Context.Connection.RemoteIpAddress));
        if (guard.TryStart(attempt) is { } wait)
        {
            Context.Items[PlayerKeyGuard.RetryAfterItem] = wait;
            return Task.FromResult(AuthenticateResult.Fail("Too many wrong API keys from this address."));
        }

        if (!secrets.CheckPlayerApiKey(values.ToString()))
        {
            guard.Failed(attempt);
            return Task.FromResult(AuthenticateResult.Fail("Invalid API key."));
        }

        guard.Succeeded(attempt);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, Roles.Player), new Claim(ClaimTypes.Role, Roles.Player)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}
