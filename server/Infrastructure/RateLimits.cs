using System.Threading.RateLimiting;
using AmvScreening.Server.Voting;
using Microsoft.AspNetCore.RateLimiting;

namespace AmvScreening.Server.Infrastructure;

/// <summary>Request limits. Refusals are 429 ProblemDetails with a Retry-After header.</summary>
public static class RateLimits
{
    /// <summary>Sign-in attempts, per client address (password guessing).</summary>
    public const string Login = "login";

    /// <summary>Voting API, per voter token (never per address: a whole room shares one).</summary>
    public const string Voter = "voter";

    /// <summary>Joining (minting voter tokens), per address: only a flood guard, far above a full hall behind one
    /// address. Stuffing is judged from the ballots instead (docs/ballot-integrity.md).</summary>
    public const string Join = "join";

    public static IServiceCollection AddAmvRateLimits(this IServiceCollection services, AmvOptions amv)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Login, context => RateLimitPartition.GetFixedWindowLimiter(
                AddressOf(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(Join, context => RateLimitPartition.GetTokenBucketLimiter(
                AddressOf(context),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = amv.Voting.PerAddressJoinBurst,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / amv.Voting.PerAddressJoinsPerMinute,
                    QueueLimit = 0,
                }));
            o.AddPolicy(Voter, context => RateLimitPartition.GetTokenBucketLimiter(
                VoterTokens.FromRequest(context.Request) ?? "anonymous:" + AddressOf(context),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = amv.Voting.PerVoterBurst,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / amv.Voting.PerVoterPerMinute,
                    QueueLimit = 0,
                }));
            // A coarse cap per address against floods, far above what a full room behind one NAT sends.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
                AddressOf(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = amv.Voting.PerAddressPerSecond, Window = TimeSpan.FromSeconds(1), QueueLimit = 0 }));
            o.OnRejected = async (context, ct) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                    ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
                    : 60;
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests.", Detail = $"Try again in {seconds} s." },
                });
            };
        });
        return services;
    }

    private static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
