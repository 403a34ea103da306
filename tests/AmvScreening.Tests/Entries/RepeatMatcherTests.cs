using AmvScreening.Server.Entries.Admin;

namespace AmvScreening.Tests.Entries;

/// <summary>The previous-finalist matcher on generated near-misses: every small change of a title or an editor's
/// spelling still matches; another work by the same editor, or the same title by someone else, does not.</summary>
[Trait("Kind", "Unit")]
public sealed class RepeatMatcherTests
{
    private static readonly string[] Titles =
    [
        "Shattered Skies", "Kimi no Na wa", "The Last Summer of Our Youth", "Steins;Gate Zero Hour", "Memories of Tomorrow",
        "Bloody Stream", "Endless Rain Over Tokyo", "Fate Unbroken", "A Silent Voice Remix", "Neon Genesis Requiem",
    ];

    private static readonly string[] Editors = ["Mega Vult", "Lyra", "Kitsune Edits", "Sol", "ZeroTwo Studio"];

    private static PreviousFinalist Previous(int i) =>
        new() { Title = Titles[i], Editors = [Editors[i % Editors.Length]], Year = 2020 + i % 5 };

    private static readonly List<PreviousFinalist> List = [.. Enumerable.Range(0, Titles.Length).Select(Previous)];

    /// <summary>Ways an editor retypes a title: each keeps it the same work.</summary>
    private static IEnumerable<(string How, string Title)> NearMisses(string title, Random random)
    {
        yield return ("upper case", title.ToUpperInvariant());
        yield return ("lower case", title.ToLowerInvariant());
        yield return ("punctuation", title.Replace(" ", " - ", StringComparison.Ordinal) + "!");
        yield return ("extra spaces", "  " + title.Replace(" ", "   ", StringComparison.Ordinal) + " ");
        yield return ("accents", title.Replace("o", "ō", StringComparison.Ordinal).Replace("e", "é", StringComparison.Ordinal));
        yield return ("full-width", new string([.. title.Select(c => c is >= '!' and <= '~' ? (char)(c - '!' + '！') : c)]));
        yield return ("a version added", title + " (Director's Cut)");
        var at = random.Next(title.Length);
        var letter = (char)('a' + random.Next(26));
        yield return ("a letter changed", title[..at] + letter + title[(at + 1)..]);
        yield return ("a letter dropped", title.Remove(random.Next(title.Length), 1));
        yield return ("a letter added", title.Insert(random.Next(title.Length + 1), letter.ToString()));
    }

    [Fact]
    public void NearMissOfATitle_WithTheSameEditorSpelledAnyWay_IsFlagged()
    {
        var random = new Random(20261130);
        for (var i = 0; i < Titles.Length; i++)
        {
            var editor = Editors[i % Editors.Length];
            foreach (var spelling in new[] { editor, editor.ToLowerInvariant(), editor.Replace(" ", "", StringComparison.Ordinal), editor.Replace(' ', '-') })
            {
                foreach (var (how, title) in NearMisses(Titles[i], random))
                {
                    var found = RepeatMatcher.Find(title, ["Someone Else", spelling], List);
                    Assert.True(found == List[i], $"{how}: “{title}” by {spelling} should match “{Titles[i]}”, found {found?.Describe() ?? "nothing"}");
                }
            }
        }
    }

    [Fact]
    public void SameTitle_ByAnotherEditor_IsNotFlagged()
    {
        foreach (var title in Titles)
        {
            Assert.Null(RepeatMatcher.Find(title, ["Nobody On The List"], List));
        }
    }

    [Fact]
    public void AnotherWork_ByAPreviousFinalistsEditor_IsNotFlagged()
    {
        // Every title of the list entered again by every editor, under another title of the list: only its own matches.
        for (var i = 0; i < Titles.Length; i++)
        {
            for (var j = 0; j < Titles.Length; j++)
            {
                var found = RepeatMatcher.Find(Titles[j], [Editors[i % Editors.Length]], [List[i]]);
                Assert.True((found is not null) == (i == j), $"“{Titles[j]}” by {Editors[i % Editors.Length]} against “{Titles[i]}”: {found?.Describe() ?? "no match"}");
            }
        }
    }

    [Theory]
    [InlineData("Rain", "Pain")] // one letter of four is another word
    [InlineData("Memories", "Memoirs")]
    [InlineData("Shattered Skies", "Shattered Dreams")]
    [InlineData("Blue", "Blue Period Ends Here")] // one word in common is not the same title
    public void DifferentTitles_ThatLookAlike_AreNotFlagged(string entry, string previous)
    {
        var list = new[] { new PreviousFinalist { Title = previous, Editors = ["Lyra"], Year = 2024 } };
        Assert.Null(RepeatMatcher.Find(entry, ["Lyra"], list));
    }

    [Theory]
    [InlineData("Lyra", "Lyre")] // short names must be exact
    [InlineData("Sol", "Sal")]
    public void ShortEditorNames_OneLetterOff_AreDifferentEditors(string entrant, string previous)
    {
        var list = new[] { new PreviousFinalist { Title = "Bloody Stream", Editors = [previous] } };
        Assert.Null(RepeatMatcher.Find("Bloody Stream", [entrant], list));
    }

    [Fact]
    public void LongEditorName_WithATypo_IsTheSameEditor()
    {
        var list = new[] { new PreviousFinalist { Title = "Bloody Stream", Editors = ["Kitsune Edits"] } };
        Assert.NotNull(RepeatMatcher.Find("Bloody Stream", ["Kitsune Edit"], list));
    }

    [Fact]
    public void Describe_NamesTitleEditorsAndYear()
    {
        Assert.Equal("“Bloody Stream” by A, B (2023)", new PreviousFinalist { Title = "Bloody Stream", Editors = ["A", "B"], Year = 2023 }.Describe());
        Assert.Equal("“Bloody Stream” by A", new PreviousFinalist { Title = "Bloody Stream", Editors = ["A"] }.Describe());
    }
}
