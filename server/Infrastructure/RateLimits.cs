using System.Threading.RateLimiting;
using AmvScreening.Server.Voting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;

namespace AmvScreening.Server.Infrastructure;

/// <summary>Request limits. Refusals are 429 ProblemDetails with a Retry-After header.</summary>
public static class RateLimits
{
    /// <summary>Voting API, per voter token (never per address: a whole room shares one).</summary>
    public const string Voter = "voter";

    /// <summary>Joining (minting voter tokens), per address: only a flood guard, far above a full hall behind one
    /// address. Stuffing is judged from the ballots instead (docs/ballot-integrity.md).</summary>
    public const string Join = "join";

    /// <summary>The entry portal's pages and reads, per address: an entrant's page polls its file's check every few seconds.</summary>
    public const string EntryRead = "entry-read";

    /// <summary>Submitting and withdrawing entries, per address: a few an hour is all an editor (or a household) needs.</summary>
    public const string EntrySubmit = "entry-submit";

    public static IServiceCollection AddAmvRateLimits(this IServiceCollection services, AmvOptions amv)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
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
            o.AddPolicy(EntryRead, context => RateLimitPartition.GetTokenBucketLimiter(
                AddressOf(context),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = amv.Entries.ReadBurst, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromMinutes(1) / amv.Entries.ReadsPerMinute, QueueLimit = 0,
                }));
            o.AddPolicy(EntrySubmit, context => RateLimitPartition.GetTokenBucketLimiter(
                AddressOf(context),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = amv.Entries.SubmitBurst, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromHours(1) / amv.Entries.SubmitsPerHour, QueueLimit = 0,
                }));
            // A coarse cap per address against floods, far above what a full room behind one NAT sends.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
                AddressOf(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = amv.Voting.PerAddressPerSecond, Window = TimeSpan.FromSeconds(1), QueueLimit = 0 }));
            o.OnRejected = (context, ct) => new ValueTask(TooManyRequests(
                context.HttpContext,
                context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1)).ExecuteAsync(context.HttpContext));
        });
        return services;
    }

    /// <summary>The answer of every limit (these and the guessing throttles in Auth/): 429 ProblemDetails with a
    /// Retry-After header in whole seconds.</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext context, TimeSpan retryAfter, string? why = null, string title = "Too many requests.")
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new Refusal(StatusCodes.Status429TooManyRequests, title, $"{(why is null ? "" : why + " ")}Try again in {seconds} s.").ToProblem();
    }

    private static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
