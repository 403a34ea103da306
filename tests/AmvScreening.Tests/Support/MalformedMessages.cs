using System.Text;
using System.Text.Json;
using AmvScreening.Protocol;

namespace AmvScreening.Tests.Support;

/// <summary>
/// Generated hub messages that no part of the show may act on: player commands that are not well-formed (null, wrong
/// JSON shapes, unknown kinds, numbers out of range, strings where numbers go, extra or repeated fields) or that name an
/// entry the show cannot use, and pushes to the player that it cannot use (rooms, results, counts, argument lists).
/// A fixed seed makes every run send the same messages, so a failure can be replayed.
/// </summary>
public sealed class MalformedMessages(int seed)
{
    /// <summary>One message: the client method, its JSON arguments as sent, and what is wrong with it.</summary>
    public sealed record Message(string Method, IReadOnlyList<JsonElement> Arguments, string Defect)
    {
        public override string ToString() => $"{Method}({string.Join(", ", Arguments.Select(a => a.GetRawText()))}) — {Defect}";
    }

    private static readonly string[] Kinds = Enum.GetValues<PlayerCommandKind>().Select(PlayerCommandRules.NameOf).ToArray();

    private readonly Random _random = new(seed);

    /// <summary><paramref name="count"/> player commands, each with one defect. <paramref name="missingEntry"/> is an
    /// id that is no finalist, <paramref name="unrevealedEntry"/> a finalist whose win is not revealed. With
    /// <paramref name="repeatedFields"/>, some objects give a field twice (the server's JSON reader refuses those
    /// itself; through the server the player only ever receives commands it serialized).</summary>
    public IEnumerable<Message> Commands(int count, int missingEntry, int unrevealedEntry, bool repeatedFields = true)
    {
        var defects = new List<Func<(string Json, string Defect)>>
        {
            () => ("null", "null"),
            () => (RandomValue(depth: 0, allowObject: false), "not an object"),
            () => ("{}", "empty object"),
            () => (Command(id: null), "no id"),
            () => (Command(kind: null), "no kind"),
            () => (Command(kind: Quote(Word())), "unknown kind"),
            () => (Command(kind: Pick("\"\"", "null", "0", "3", "-1", "99", "true", "[]", "{}", "\"jump_to_entry\"", "\"2\"")), "kind of the wrong shape"),
            () => (Command(kind: Quote(Pick("next ", " next", "NEXT", "Next", "next, resume", "pause,blackoutOn", "Pause, Resume"))), "kind not exactly a name"),
            () => (Command(kind: Quote(new string('x', _random.Next(1_000, 20_000)))), "huge kind"),
            () => (Command(id: Pick("null", "0", "123", "true", "[]", "{}", Quote(Word()), Quote("00000000-0000-0000-0000-00000000000g"))), "id not a GUID"),
            () => (Command(id: Quote(Guid.Empty.ToString())), "empty GUID"),
            () => (Command(kind: Quote(EntryKind()), entry: Pick("\"7\"", "1.5", "1e30", "2147483648", "-2147483649", "true", "[]", "{}", "[[[[[[[[1]]]]]]]]", "\"\"")),
                "entryId not a whole number in range"),
            () => (Command(kind: Quote(EntryKind()), entry: Pick("0", "-1", "-2147483648")), "entryId not positive"),
            () => (Command(kind: Quote(EntryKind())), "entryId missing"),
            () => (Command(kind: Quote(PlainKind()), entry: _random.Next(1, 1000).ToString()), "entryId on a kind that takes none"),
            () => (Command(extra: $"\"{Word()}\":{RandomValue(depth: 1)}"), "extra field"),
            () => (Command(kind: "\"jumpToEntry\"", entry: missingEntry.ToString()), "jump to an entry that is no finalist"),
            () => (Command(kind: "\"showWinner\"", entry: unrevealedEntry.ToString()), "winner slate for a win not revealed"),
            () => (Command(kind: Quote(Pick("showNominees", "showPrize"))), "scope missing"),
            () => (Command(kind: Quote(Pick("showNominees", "showPrize")), extra: "\"scope\":" + Pick("\"\"", "null", "\"category:\"", "\"category:0\"",
                "\"category:-1\"", "\"category:1 \"", "\"Category:1\"", "\"category:+1\"", "\"award:x\"", "\"awards\"", "\"best-in-show \"", "7", "[]", "{}",
                Quote("category:" + new string('9', 5_000)))), "scope malformed"),
            () => (Command(kind: "\"showNominees\"", extra: "\"scope\":" + Pick("\"best-in-show\"", "\"award:1\"")), "nominees of what is no category"),
            () => (Command(extra: "\"scope\":\"category:1\""), "scope on a kind that takes none"),
            () => (Command(kind: "\"showNominees\"", extra: "\"scope\":\"category:999999\""), "nominees of a category that does not exist"),
            () => (Command(kind: "\"showPrize\"", extra: "\"scope\":" + Pick("\"best-in-show\"", "\"award:1\"", "\"category:999999\"")), "prize slate not revealed"),
        };
        if (repeatedFields)
        {
            defects.Add(() => (Command(extra: $"\"kind\":{Quote(PlainKind())}"), "kind given twice"));
        }

        for (var i = 0; i < count; i++)
        {
            var (json, defect) = defects[_random.Next(defects.Count)]();
            yield return new Message(ShowHubMethods.PlayerCommand, [Parse(json)], defect);
        }
    }

    /// <summary><paramref name="count"/> other pushes the player cannot use: rooms, results and voter counts that are
    /// not well-formed, argument lists of the wrong length, methods it does not know.</summary>
    public IEnumerable<Message> OtherPushes(int count)
    {
        var entry = """{"id":1,"categoryId":1,"category":"C","title":"T","editors":["E"],"musicArtist":"A","musicTitle":"S","sources":[],"contentNote":null}""";
        var defects = new List<Func<Message>>
        {
            () => One(ShowHubMethods.RoomChanged, Pick("null", "{}", "[]", "7", Quote(Word())), "room of the wrong shape"),
            () => One(ShowHubMethods.RoomChanged, """{"code":"","joinUrl":"http://amv.test/v/X"}""", "room without a code"),
            () => One(ShowHubMethods.RoomChanged, $$"""{"code":"ABCDEF","joinUrl":{{Pick("\"\"", "\"javascript:alert(1)\"", "\"/v/ABCDEF\"", "\"file:///etc/passwd\"", Quote("http://amv.test/" + new string('v', 5_000)))}}}""", "room with an unusable join URL"),
            () => One(ShowHubMethods.RoomChanged, $$"""{"code":"ABCDEF","joinUrl":"http://amv.test/v/ABCDEF","{{Word()}}":1}""", "room with an extra field"),
            () => One(ShowHubMethods.RoomChanged, $$"""{"code":{{Pick("null", "1", "[]")}},"joinUrl":"http://amv.test/v/ABCDEF"}""", "room code of the wrong type"),
            () => One(ShowHubMethods.ResultsRevealed, Pick("null", "{}", "[]", "0", Quote(Word())), "results of the wrong shape"),
            () => One(ShowHubMethods.ResultsRevealed, """{"categories":[null],"bestInShow":null,"awards":null}""", "a null category"),
            () => One(ShowHubMethods.ResultsRevealed, """{"categories":null,"bestInShow":null,"awards":null}""", "no categories"),
            () => One(ShowHubMethods.ResultsRevealed, """{"categories":[{"categoryId":1,"name":"C","winner":null,"revealedAt":"2026-01-01T00:00:00Z"}],"bestInShow":null,"awards":null}""", "a category without its winner"),
            () => One(ShowHubMethods.ResultsRevealed, $$"""{"categories":[],"bestInShow":{"winner":{{entry.Replace("[\"E\"]", "[null]")}},"revealedAt":"2026-01-01T00:00:00Z"},"awards":null}""", "a null editor"),
            () => One(ShowHubMethods.ResultsRevealed, """{"categories":[],"bestInShow":null,"awards":{"awards":[null],"revealedAt":"2026-01-01T00:00:00Z"}}""", "a null award"),
            () => One(ShowHubMethods.ResultsRevealed, $$"""{"categories":[{"categoryId":1,"name":"C","winner":{{entry}},"revealedAt":"2026-01-01T00:00:00Z","placings":[{{Pick("null", "{\"rank\":1,\"entry\":null,\"mean\":4.5,\"votes\":3}")}}]}],"bestInShow":null,"awards":null}""", "a placing without its entry"),
            () => One(ShowHubMethods.ResultsRevealed, $$"""{"categories":[],"bestInShow":{"winner":{{entry}},"revealedAt":"{{Word()}}"},"awards":null}""", "a date that is not one"),
            () => One(ShowHubMethods.VotersOnline, Pick("null", "-1", "-2147483648", "\"3\"", "3.5", "1e99", "[]", "{}", "true"), "not a count"),
            () => new Message(Pick(ShowHubMethods.PlayerCommand, ShowHubMethods.RoomChanged, ShowHubMethods.ResultsRevealed, ShowHubMethods.VotersOnline), [], "no argument"),
            () => new Message(Pick(ShowHubMethods.PlayerCommand, ShowHubMethods.RoomChanged, ShowHubMethods.VotersOnline), [Parse("null"), Parse(RandomValue(depth: 1))], "two arguments"),
        };
        for (var i = 0; i < count; i++)
        {
            yield return defects[_random.Next(defects.Count)]();
        }
    }

    private static Message One(string method, string json, string defect) => new(method, [Parse(json)], defect);

    /// <summary>JSON as written: a repeated field stays repeated on the wire.</summary>
    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>A command object from raw JSON values: a valid pause, unless a field is replaced (null leaves it out).</summary>
    private string Command(string? id = "", string? kind = "", string? entry = null, string? extra = null)
    {
        var fields = new List<string>();
        if (id is not null)
        {
            fields.Add($"\"id\":{(id == "" ? Quote(Guid.NewGuid().ToString()) : id)}");
        }

        if (kind is not null)
        {
            fields.Add($"\"kind\":{(kind == "" ? "\"pause\"" : kind)}");
        }

        if (entry is not null)
        {
            fields.Add($"\"entryId\":{entry}");
        }

        if (extra is not null)
        {
            fields.Add(extra);
        }

        return "{" + string.Join(",", fields.OrderBy(_ => _random.Next())) + "}";
    }

    private string EntryKind() => Pick("jumpToEntry", "showWinner");

    private string PlainKind() => Pick(Kinds.Where(k => k is not ("jumpToEntry" or "showWinner" or "showNominees" or "showPrize")).ToArray());

    private T Pick<T>(params T[] choices) => choices[_random.Next(choices.Length)];

    /// <summary>A random word that is no command kind, in any case.</summary>
    private string Word()
    {
        while (true)
        {
            var word = new StringBuilder();
            for (var i = _random.Next(1, 12); i > 0; i--)
            {
                word.Append((char)_random.Next('a', 'z' + 1));
            }

            if (!Kinds.Contains(word.ToString(), StringComparer.OrdinalIgnoreCase))
            {
                return word.ToString();
            }
        }
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text);

    /// <summary>Any JSON value: numbers (huge, negative, fractional), strings, booleans, null, arrays, objects.</summary>
    private string RandomValue(int depth, bool allowObject = true) => _random.Next(depth >= 4 ? 6 : allowObject && depth < 3 ? 9 : 7) switch
    {
        0 => Pick("0", "-1", "1e308", "-1e308", "1.7976931348623157e308", "4.9e-324", "123456789012345678901234567890", "-0", "0.5"),
        1 => Quote(Word()),
        2 => Quote(new string('\u0000', _random.Next(1, 4)) + "\u202e\ud83c\udfac"),
        3 => Pick("true", "false"),
        4 => "null",
        5 => "[]",
        6 => $"[{RandomValue(depth + 1, allowObject)}]",
        7 => $"{{\"{Word()}\":{RandomValue(depth + 1)}}}",
        _ => $"[{RandomValue(depth + 1)},{RandomValue(depth + 1)}]",
    };
}
