using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Limit = AmvScreening.Server.Auth.GuessThrottle.Limit;

namespace AmvScreening.Server.Auth;

/// <summary>
/// Throttles staff sign-in (README, "Security model"). A browser that has signed in as a role before carries a device
/// cookie for that role (<c>amv.device</c>, signed, no credential in it): its attempts count only against that device,
/// so whoever floods wrong passwords — from the hall's shared address or from many — never locks out a staff device
/// that knows the password. Attempts without it count against their address (10 free failures, then a doubling block up
/// to 5 minutes) and against the role across every address (30, then up to 1 minute), so a single guesser is held back
/// at its address and many together get about one guess a minute; a new device signing in during such a flood waits too.
/// </summary>
public sealed class SignInGuard(GuessThrottle throttle, IDataProtectionProvider protection)
{
    public const string DeviceCookie = "amv.device";

    private static readonly TimeSpan DeviceLifetime = TimeSpan.FromDays(180);
    private static readonly Limit PerAddress = new("sign-in-address", 10, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15));
    private static readonly Limit PerRole = new("sign-in-role", 30, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));
    private static readonly Limit PerDevice = new("sign-in-device", 10, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15));

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("AmvScreening.SignInDevice").ToTimeLimitedDataProtector();

    /// <summary>One sign-in attempt: the partitions it counts in, and the device it comes from, if known for the role.</summary>
    public sealed class Attempt(string role, string? device, (Limit, string)[] partitions)
    {
        public string Role { get; } = role;
        public string? Device { get; } = device;
        internal (Limit, string)[] Partitions { get; } = partitions;
    }

    public Attempt Begin(HttpContext context, string role)
    {
        var device = DeviceOf(context, role);
        return device is not null
            ? new Attempt(role, device, [(PerDevice, device)])
            : new Attempt(role, null, [(PerAddress, GuessThrottle.AddressKey(context.Connection.RemoteIpAddress)), (PerRole, role)]);
    }

    /// <summary>Null when the attempt's password may be checked now (then <see cref="Failed"/> or <see cref="Succeeded"/>
    /// must follow), or how long it must wait.</summary>
    public TimeSpan? TryStart(Attempt attempt) => throttle.TryBegin(attempt.Partitions);

    public void Failed(Attempt attempt) => throttle.End(failed: true, attempt.Partitions);

    /// <summary>The right password: the device's failures are forgotten and its cookie (re)issued for the role.</summary>
    public void Succeeded(HttpContext context, Attempt attempt)
    {
        throttle.End(failed: false, attempt.Partitions);
        var device = attempt.Device ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        throttle.Forget(PerDevice, device);
        context.Response.Cookies.Append(DeviceCookie, _protector.Protect($"{attempt.Role}\n{device}", DeviceLifetime), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/api/auth",
            MaxAge = DeviceLifetime,
            IsEssential = true,
        });
    }

    /// <summary>The device id in the request's device cookie when the cookie is genuine, unexpired and for this role.</summary>
    private string? DeviceOf(HttpContext context, string role)
    {
        if (context.Request.Cookies[DeviceCookie] is not { Length: > 0 } cookie)
        {
            return null;
        }

        try
        {
            var parts = _protector.Unprotect(cookie).Split('\n');
            return parts.Length == 2 && parts[0] == role ? parts[1] : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
