using AmvScreening.Server.Data;
using Dapper;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AmvScreening.Server.Infrastructure;

/// <summary>/healthz: the process answers. /readyz: the database takes a write (made and rolled back).</summary>
public static class Health
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddAmvHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseWritable>("database", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapAmvHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
        return app;
    }

    private sealed class DatabaseWritable(Db db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                await using var connection = await db.OpenAsync(ct);
                await using var tx = await connection.BeginTransactionAsync(ct);
                await connection.ExecuteAsync("UPDATE contest SET name = name WHERE id = 1", transaction: tx);
                await tx.RollbackAsync(ct);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy("The database does not take writes.", e);
            }
        }
    }
}
