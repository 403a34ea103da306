using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;

namespace AmvScreening.Server.Infrastructure;

/// <summary>
/// The disk holding the data folder is full (docs/operations.md). A write that fails for lack of space (SQLite's
/// SQLITE_FULL, or an <see cref="IOException"/> for ENOSPC) is answered 503 with <c>Retry-After</c> and the reason
/// <c>storage-full</c>: nothing was written, the phone keeps the vote and sends it again. Nothing needs restarting: the
/// next write after space is freed succeeds. <c>/readyz</c> says so meanwhile.
/// </summary>
public static class StorageFull
{
    public const string Reason = "storage-full";

    /// <summary>How long a client should wait before trying again.</summary>
    public const int RetryAfterSeconds = 10;

    private const int SqliteFull = 13;
    private const int UnixNoSpace = 28; // ENOSPC on Linux and macOS: .NET's IOException carries errno as its HResult
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>Whether <paramref name="exception"/> (or one it wraps) is a write refused for lack of space.</summary>
    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: SqliteFull }
                || e is IOException { HResult: UnixNoSpace or WindowsDiskFull or WindowsHandleDiskFull })
            {
                return true;
            }
        }

        return false;
    }

    public static IServiceCollection AddAmvStorageFull(this IServiceCollection services) => services.AddExceptionHandler<Handler>();

    private sealed class Handler(ILogger<Handler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
        {
            if (!Is(exception))
            {
                return false;
            }

            logger.LogWarning("Refused {Method} {Path} with 503: the disk holding the data folder is full", context.Request.Method, context.Request.Path);
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await new Refusal(StatusCodes.Status503ServiceUnavailable, "The server is busy: its storage is full.",
                $"Nothing was saved. Send the same request again in {RetryAfterSeconds} s.", Reason).ToProblem().ExecuteAsync(context);
            return true;
        }
    }
}
