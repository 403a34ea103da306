using System.Globalization;
using System.Text;

namespace AmvScreening.Server.Entries.Admin;

/// <summary>A finalist of an earlier contest (the coordinator's imported list).</summary>
public sealed record PreviousFinalist
{
    public required string Title { get; init; }
    public required IReadOnlyList<string> Editors { get; init; }
    public int? Year { get; init; }

    /// <summary>“Title” by A, B (2023): what the Entries page shows as the likely repeat.</summary>
    public string Describe() => $"“{Title}” by {string.Join(", ", Editors)}{(Year is { } y ? $" ({y.ToString(CultureInfo.InvariantCulture)})" : "")}";
}

/// <summary>
/// Flags an entry that is likely a previous finalist (the rules forbid showing one again): its title is the same after
/// normalising, or nearly (a typo, a changed word, “(Director's Cut)” added), and it has an editor in common (the same
/// name after normalising, or one letter off). Both are needed: titles like “Memories” recur across editors, and an
/// editor enters new works every year. Pure; the coordinator reviews every flag and may clear it.
/// </summary>
public static class RepeatMatcher
{
    /// <summary>Titles at least this similar (1 - edit distance / longer length, after normalising) match.</summary>
    public const double TitleSimilarity = 0.8;

    /// <summary>The likely repeat among <paramref name="previous"/>: the most similar title with an editor in common; null when none.</summary>
    public static PreviousFinalist? Find(string title, IReadOnlyList<string> editors, IEnumerable<PreviousFinalist> previous)
    {
        var normalised = Normalise(title);
        var names = editors.Select(Name).Where(n => n.Length > 0).ToList();
        return previous
            .Where(p => p.Editors.Select(Name).Any(e => names.Any(n => SameName(n, e))))
            .Select(p => (Finalist: p, Similarity: TitleScore(normalised, Normalise(p.Title))))
            .Where(m => m.Similarity >= TitleSimilarity)
            .OrderByDescending(m => m.Similarity)
            .Select(m => m.Finalist)
            .FirstOrDefault();
    }

    /// <summary>How alike two normalised titles are, 0 to 1: 1 when one's words all appear in the other (at least two
    /// words: “Title (Director's Cut)”), else 1 - edit distance / longer length.</summary>
    public static double TitleScore(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var wordsA = a.Split(' ');
        var wordsB = b.Split(' ');
        var (shorter, longer) = wordsA.Length <= wordsB.Length ? (wordsA, wordsB) : (wordsB, wordsA);
        if (shorter.Length >= 2 && shorter.All(longer.Contains))
        {
            return 1;
        }

        return 1 - (double)Distance(a, b) / Math.Max(a.Length, b.Length);
    }

    /// <summary>Lower case, accents and punctuation gone, full-width letters folded, single spaces: “Kimi no Na wa!” and
    /// “kimi no na wa” are the same title.</summary>
    public static string Normalise(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKD);
        var result = new StringBuilder(folded.Length);
        var space = false;
        foreach (var c in folded)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (space && result.Length > 0)
                {
                    result.Append(' ');
                }

                result.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else if (c != '\'' && c != '’')
            {
                space = true; // apostrophes join (“Director's” = “directors”); anything else separates words
            }
        }

        return result.ToString();
    }

    /// <summary>An editor's name without spaces or punctuation (“Mega Vult”, “megavult” and “Mega-Vult” are one editor).</summary>
    private static string Name(string editor) => Normalise(editor).Replace(" ", "", StringComparison.Ordinal);

    /// <summary>The same name, or one letter off for names of six letters or more (a typo).</summary>
    private static bool SameName(string a, string b) => a == b || (Math.Min(a.Length, b.Length) >= 6 && Distance(a, b) <= 1);

    /// <summary>Levenshtein edit distance.</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
