namespace AmvScreening.Server.Entries.Checks;

public static class ChecksSetup
{
    /// <summary>The entries' background pre-flight queue (<see cref="CheckQueue"/>).</summary>
    public static IServiceCollection AddEntryChecks(this IServiceCollection services) => services.AddHostedService<CheckQueue>();
}
