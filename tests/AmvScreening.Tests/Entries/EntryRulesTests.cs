using AmvScreening.Server.Entries;
using static AmvScreening.Server.Entries.EntryRules;

namespace AmvScreening.Tests.Entries;

/// <summary>The entry rules as pure functions (server/Entries/EntryRules.cs): who a person is, the submission's rules,
/// the rules again at the deadline, the entry settings' own checks. Generated addresses and spellings, seeded.</summary>
[Trait("Kind", "Unit")]
public sealed class EntryRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    private static SubmissionForm Form(int categoryId = 1, string email = "ann@example.org", string premieredOn = "2026-03-14", bool permission = true) =>
        new(categoryId, "Title", ["Ann"], email, "Artist", "Song", ["Source"], premieredOn, permission);

    [Fact]
    public void Person_OfOneAddressSpelledAnotherWay_IsTheSamePerson_CaseDotsAndPlusTags()
    {
        var random = new Random(20261130);
        for (var i = 0; i < 500; i++)
        {
            var local = Word(random, random.Next(1, 12));
            var domain = $"{Word(random, random.Next(2, 10))}.{Word(random, random.Next(2, 4))}";
            var plain = $"{local}@{domain}";
            var variant = Variant(random, local) + "@" + RandomCase(random, domain);
            Assert.True(Person(plain) == Person(variant), $"{plain} and {variant} are one person: {Person(plain)} vs {Person(variant)}");
            Assert.Equal(plain, Person(plain)); // a plain lower-case address without dots is itself
        }

        Assert.Equal(Person("ann@gmail.com"), Person("A.N.N+contest@GoogleMail.com"));
        Assert.Equal(Person("ann@example.org"), Person("  ann@example.org  "));
    }

    [Fact]
    public void Person_OfDifferentAddresses_AreDifferentPeople()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var a = $"{Word(random, 6)}@{Word(random, 5)}.org";
            var b = $"{Word(random, 6)}@{Word(random, 5)}.org";
            if (a != b)
            {
                Assert.NotEqual(Person(a), Person(b));
            }
        }

        Assert.NotEqual(Person("ann@example.org"), Person("ann@example.com"));
        Assert.NotEqual(Person("ann@example.org"), Person("anne@example.org"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("ann")]
    [InlineData("ann@")]
    [InlineData("@example.org")]
    [InlineData("ann@example")]
    [InlineData("ann@@example.org")]
    [InlineData("a@b@example.org")]
    [InlineData("ann smith@example.org")]
    [InlineData("ann@example.org.")]
    [InlineData("ann@.example.org")]
    [InlineData("<ann@example.org>")]
    [InlineData("ann@example.org, bob@example.org")]
    [InlineData("ann\n@example.org")]
    public void EmailProblem_OfWhatIsNotOneAddress_IsSaid_AndItIsNoPerson(string email)
    {
        Assert.NotNull(EmailProblem(email));
        Assert.Null(Person(email));
    }

    [Fact]
    public void EmailProblem_OfAnAddressTooLong_IsSaid()
    {
        Assert.Null(EmailProblem(new string('a', 64) + "@example.org"));
        Assert.NotNull(EmailProblem(new string('a', 250) + "@example.org"));
    }

    [Fact]
    public void Submission_IsRefused_NamingTheRuleAndTheField()
    {
        var settings = new EntrySettings("2026-07-01T00:00Z", "2026-08-15T23:59", "America/Los_Angeles", "2025-09-01", 3, 1);
        Assert.Null(CheckSubmission(Form(), settings, new PersonsEntries([]), Now));

        var early = CheckSubmission(Form(), settings, new PersonsEntries([]), new DateTimeOffset(2026, 6, 30, 23, 0, 0, TimeSpan.Zero));
        Assert.Equal((Rules.NotOpen, (string?)null), (early!.Rule, early.Field));

        // 23:59 in Los Angeles in August is 06:59 UTC the next day.
        Assert.Null(CheckSubmission(Form(), settings, new PersonsEntries([]), new DateTimeOffset(2026, 8, 16, 6, 58, 59, TimeSpan.Zero)));
        var late = CheckSubmission(Form(), settings, new PersonsEntries([]), new DateTimeOffset(2026, 8, 16, 6, 59, 0, TimeSpan.Zero));
        Assert.Equal(Rules.DeadlinePassed, late!.Rule);
        Assert.Contains("2026-08-15 23:59 (America/Los_Angeles, UTC-07:00)", late.Message);

        Assert.Equal((Rules.Permission, "permission"), Of(CheckSubmission(Form(permission: false), settings, new PersonsEntries([]), Now)));
        Assert.Equal((Rules.PremiereDate, "premieredOn"), Of(CheckSubmission(Form(premieredOn: "2025-09-01"), settings, new PersonsEntries([]), Now)));
        Assert.Null(CheckSubmission(Form(premieredOn: "2025-09-02"), settings, new PersonsEntries([]), Now));
        Assert.Equal((Rules.PerPerson, "contactEmail"), Of(CheckSubmission(Form(categoryId: 4), settings, new PersonsEntries([1, 2, 3]), Now)));
        Assert.Equal((Rules.PerCategory, "categoryId"), Of(CheckSubmission(Form(categoryId: 2), settings, new PersonsEntries([2]), Now)));
        Assert.Null(CheckSubmission(Form(categoryId: 3), settings, new PersonsEntries([1, 2]), Now));
    }

    [Fact]
    public void AtDeadline_AnEntryWithoutAPassedFile_OrBeyondTheLimits_IsMarked_NamingTheRule()
    {
        var settings = new EntrySettings(null, "2026-08-15T23:59Z", "UTC", "2025-09-01", 2, 1);
        EntryFacts Entry(long id, string person, int category, bool file = true, string check = "passed", string premiered = "2026-01-01") =>
            new(id, person, category, premiered, $"2026-08-0{id}T00:00:00.0000000Z", file, check, check == "failed" ? "5:42 is over the 5:30 limit" : null);

        var breaches = AtDeadline(
        [
            Entry(1, "ann@x.org", 1),
            Entry(2, "ann@x.org", 1), // a second in the same category (the limit was lowered)
            Entry(3, "ann@x.org", 2),
            Entry(4, "ann@x.org", 3), // beyond two per person
            Entry(5, "bob@x.org", 1, file: false),
            Entry(6, "bob@x.org", 2, check: "failed"),
            Entry(7, "cat@x.org", 1, premiered: "2025-08-01"),
            Entry(8, "dan@x.org", 1),
        ], settings);

        Assert.Equal([2, 4, 5, 6, 7], breaches.Keys.Order());
        Assert.Equal(Rules.PerCategory, breaches[2].Rule);
        Assert.Equal(Rules.PerPerson, breaches[4].Rule);
        Assert.Equal(Rules.NoFile, breaches[5].Rule);
        Assert.Equal(Rules.FileFailed, breaches[6].Rule);
        Assert.Contains("5:42 is over the 5:30 limit", breaches[6].Message);
        Assert.Equal(Rules.PremiereDate, breaches[7].Rule);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Pacific Standard Time")] // a Windows name, not an IANA zone
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    public void Settings_WithAnUnknownTimeZone_AreRefused_NamingIt(string zone)
    {
        var errors = Errors(new EntrySettings(TimeZone: zone));
        Assert.Contains("timeZone", errors.Keys);
    }

    [Fact]
    public void Settings_ReadTheirInstants_InTheirTimeZone_OrWithTheirOffset()
    {
        Assert.Empty(Errors(new EntrySettings("2026-07-01T00:00", "2026-08-15T23:59:59", "Asia/Tokyo", "2025-09-01", 3, 1)));
        var tokyo = new EntrySettings(Deadline: "2026-08-15T23:59", TimeZone: "Asia/Tokyo");
        Assert.Equal(new DateTimeOffset(2026, 8, 15, 14, 59, 0, TimeSpan.Zero), tokyo.DeadlineInstant);
        Assert.Equal(new DateTimeOffset(2026, 8, 15, 23, 59, 0, TimeSpan.Zero), (tokyo with { Deadline = "2026-08-15T23:59Z" }).DeadlineInstant);

        // A time the clocks skip (Berlin, 2026-03-29 02:30) is refused; so are other forms and an order backwards.
        Assert.Contains("deadline", Errors(new EntrySettings(Deadline: "2026-03-29T02:30", TimeZone: "Europe/Berlin")).Keys);
        Assert.Contains("deadline", Errors(new EntrySettings(Deadline: "15/08/2026 23:59")).Keys);
        Assert.Contains("opensAt", Errors(new EntrySettings(OpensAt: "tomorrow")).Keys);
        Assert.Contains("deadline", Errors(new EntrySettings("2026-08-16T00:00Z", "2026-08-15T00:00Z")).Keys);
        Assert.Contains("premieredAfter", Errors(new EntrySettings(PremieredAfter: "2025-13-01")).Keys);
        Assert.Contains("maxPerPerson", Errors(new EntrySettings(MaxPerPerson: 0)).Keys);
        Assert.Contains("maxPerPersonPerCategory", Errors(new EntrySettings(MaxPerPerson: 2, MaxPerPersonPerCategory: 3)).Keys);
    }

    private static (string, string?) Of(Breach? breach) => (breach!.Rule, breach.Field);

    private static Dictionary<string, string> Errors(EntrySettings settings)
    {
        var errors = new Dictionary<string, string>();
        settings.Check((field, message) => errors.TryAdd(field, message));
        return errors;
    }

    private static string Word(Random random, int length) =>
        new([.. Enumerable.Range(0, length).Select(_ => (char)('a' + random.Next(26)))]);

    private static string RandomCase(Random random, string text) =>
        new([.. text.Select(c => random.Next(2) == 0 ? char.ToUpperInvariant(c) : c)]);

    /// <summary>The same mailbox spelled another way: other capitals, dots between letters, a +tag.</summary>
    private static string Variant(Random random, string local)
    {
        var dotted = string.Concat(local.Select((c, i) => i > 0 && random.Next(4) == 0 ? "." + c : c.ToString()));
        var tag = random.Next(2) == 0 ? "+" + Word(random, random.Next(0, 8)) : "";
        return RandomCase(random, dotted) + tag;
    }
}
