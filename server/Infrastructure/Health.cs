using AmvScreening.Server.Data;
using Dapper;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AmvScreening.Server.Infrastructure;

/// <summary>/healthz: the process answers. /readyz: the database takes a write (docs/operations.md).</summary>
public static class Health
{
    private const string ReadyTag = "ready";

    private static readonly HttpMethodMetadata ReadOnly = new([HttpMethods.Get, HttpMethods.Head]);

    public static IServiceCollection AddAmvHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseWritable>("database", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapAmvHealth(this IEndpointRouteBuilder app)
    {
        // GET and HEAD only: any other method is a 405, as everywhere else.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).WithMetadata(ReadOnly);
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).WithMetadata(ReadOnly);
        return app;
    }

    /// <summary>Unhealthy while the database refuses a committed write, or while the disk holding the data folder has
    /// less than <see cref="FullBytes"/> free: writes that need room then fail, and a small write like this one may
    /// still fit in space SQLite holds already. Degraded (still 200) below <see cref="LowBytes"/>, as a warning.</summary>
    private sealed class DatabaseWritable(Db db) : IHealthCheck
    {
        public const long FullBytes = 1024 * 1024;
        public const long LowBytes = 64 * FullBytes;

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                // Committed (it changes no value), so it fails whenever writes fail for another reason than space.
                await using var connection = await db.OpenAsync(ct);
                await connection.ExecuteAsync("UPDATE contest SET name = name WHERE id = 1");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy(
                    StorageFull.Is(e) ? "The disk holding the data folder is full: writes fail." : "The database does not take writes.", e);
            }

            var free = FreeBytes(Path.GetDirectoryName(db.Path)!);
            var mebibytes = $"{free / FullBytes} MiB free on the disk holding the data folder";
            return free < FullBytes ? HealthCheckResult.Unhealthy($"The disk is full: {mebibytes}; writes are refused with 503.")
                : free < LowBytes ? HealthCheckResult.Degraded($"The disk is nearly full: {mebibytes}.")
                : HealthCheckResult.Healthy();
        }

        private static long FreeBytes(string directory)
        {
            try
            {
                return new DriveInfo(directory).AvailableFreeSpace;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return long.MaxValue; // not knowable here: the write above is what counts
            }
        }
    }
}
