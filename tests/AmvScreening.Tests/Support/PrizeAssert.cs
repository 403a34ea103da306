using AmvScreening.Protocol;

namespace AmvScreening.Tests.Support;

public static class PrizeAssert
{
    /// <summary>Same winner, tied entries (in order), decision and blocker; a failure shows both in words.</summary>
    public static void Equal(PrizeOutcome expected, PrizeOutcome actual) => Assert.Equal(Describe(expected), Describe(actual));

    private static string Describe(PrizeOutcome o) =>
        $"winner {o.WinnerId?.ToString() ?? "none"}, tied [{string.Join(", ", o.Tied)}], decided {o.DecidedEntryId?.ToString() ?? "none"}, blocker {o.Blocker ?? "none"}";
}
