using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AmvScreening.Server.Entries;
using AmvScreening.Server.Infrastructure;

namespace AmvScreening.Server.Contest.Import;

/// <summary>The JSON contest file: the whole contest (docs/import-formats.md). Read field by field rather than
/// deserialized, so that every unknown field and every value of the wrong type is reported, not only the first.</summary>
internal static class ContestJson
{
    private static readonly string[] RootFields = ["contest", "categories", "finalists", "awards"];
    private static readonly string[] ContestFields = ["name", "year", "publicBaseUrl", "voting", "limits", "roomCode", "judging", "entries", "prizegiving"];
    private static readonly string[] EntriesFields = ["opensAt", "deadline", "timeZone", "premieredAfter", "maxPerPerson", "maxPerPersonPerCategory"];
    private static readonly string[] CategoryFields = ["name", "description", "finalistLimit"];
    private static readonly string[] VotingFields =
        ["scoreMin", "scoreMax", "bestInShowMethod", "bestInShowKeepsCategoryPrize", "autoCloseMinutes", "requireCards"];
    private static readonly string[] RoomCodeFields = ["rotateAtCategoryCard", "rotateEveryMinutes", "showOnScreenView"];
    private static readonly string[] JudgingFields = ["min", "max", "blind"];
    private static readonly string[] LimitsFields = ["maxFileMegabytes", "maxDurationSeconds", "loudnessTargetLufs"];
    private static readonly string[] FinalistFields =
        ["category", "order", "title", "editors", "musicArtist", "musicTitle", "sources", "file", "contentNote", "disqualified"];
    private static readonly string[] AwardFields = ["name", "category", "order", "note"];

    /// <summary>Indented, nulls left out, non-ASCII text as itself (emoji excepted: escaped): a file for people to read.</summary>
    private static readonly JsonSerializerOptions WriteOptions = CreateWriteOptions();

    public static byte[] Write(ContestDocument document) => JsonSerializer.SerializeToUtf8Bytes(document, WriteOptions);

    /// <summary>The file's contents, or null when it is not a JSON object at all (the error says where).</summary>
    public static ContestFile? Read(string text, ImportIssues issues)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(text.TrimStart(ContestFile.ByteOrderMark));
        }
        catch (JsonException e)
        {
            issues.Error("body", JsonBodyErrors.Malformed(e));
            return null;
        }

        using (json)
        {
            // A field given twice makes the file malformed: which of the two was meant cannot be known.
            if (StrictJson.FieldGivenTwice(json.RootElement) is { } duplicate)
            {
                issues.Error("body", duplicate);
                return null;
            }

            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                issues.Error("body", "Expected a JSON object with \"contest\", \"categories\" and \"finalists\".");
                return null;
            }

            var root = new JsonFields(json.RootElement, "", issues, RootFields);
            root.Require("contest", "categories", "finalists");
            return new ContestFile(
                ReadDetails(root.Object("contest", ContestFields)),
                [.. root.Items("categories").Select(item => new FileRow<CategoryRecord>(item.Category(), item.Path, ContestFileFormat.Json))],
                [.. root.Objects("finalists", FinalistFields).Select(f => new FileRow<FinalistRecord>(ReadFinalist(f), f.Path, ContestFileFormat.Json))],
                [.. root.Objects("awards", AwardFields).Select(a => new FileRow<AwardRecord>(ReadAward(a), a.Path, ContestFileFormat.Json))]);
        }
    }

    /// <summary>Left-out voting and limits fields take their defaults; a left-out name or year reads as empty, which
    /// the validator reports.</summary>
    private static ContestDetails ReadDetails(JsonFields contest)
    {
        var voting = contest.Object("voting", VotingFields);
        var limits = contest.Object("limits", LimitsFields);
        var roomCode = contest.Object("roomCode", RoomCodeFields);
        var judging = contest.Object("judging", JudgingFields);
        var entries = contest.Object("entries", EntriesFields);
        VotingSettings v = new();
        JudgingSettings j = new();
        EntrySettings e = new();
        ShowLimits l = new();
        return new ContestDetails(
            contest.Text("name"),
            contest.Int("year") ?? 0,
            contest.UntrimmedText("publicBaseUrl"),
            new VotingSettings(
                voting.Int("scoreMin") ?? v.ScoreMin,
                voting.Int("scoreMax") ?? v.ScoreMax,
                voting.UntrimmedText("bestInShowMethod") ?? v.BestInShowMethod,
                voting.Bool("bestInShowKeepsCategoryPrize") ?? v.BestInShowKeepsCategoryPrize,
                voting.Int("autoCloseMinutes"),
                voting.Bool("requireCards") ?? v.RequireCards),
            new ShowLimits(
                limits.Int("maxFileMegabytes") ?? l.MaxFileMegabytes,
                limits.Int("maxDurationSeconds") ?? l.MaxDurationSeconds,
                limits.Int("loudnessTargetLufs") ?? l.LoudnessTargetLufs))
        {
            RoomCode = new RoomCodeSettings(roomCode.Bool("rotateAtCategoryCard") ?? false, roomCode.Int("rotateEveryMinutes"),
                roomCode.Bool("showOnScreenView") ?? false),
            Judging = new JudgingSettings(judging.Int("min") ?? j.Min, judging.Int("max") ?? j.Max, judging.Bool("blind") ?? j.Blind),
            Entries = new EntrySettings(
                entries.UntrimmedText("opensAt"),
                entries.UntrimmedText("deadline"),
                entries.UntrimmedText("timeZone") ?? e.TimeZone,
                entries.UntrimmedText("premieredAfter"),
                entries.Int("maxPerPerson") ?? e.MaxPerPerson,
                entries.Int("maxPerPersonPerCategory") ?? e.MaxPerPersonPerCategory),
            Prizegiving = contest.UntrimmedText("prizegiving") ?? PrizegivingModes.Winners,
        }.Tidied();
    }

    private static FinalistRecord ReadFinalist(JsonFields f) => new(
        f.Text("category"),
        f.Int("order"),
        f.Text("title"),
        f.Texts("editors"),
        f.Text("musicArtist"),
        f.Text("musicTitle"),
        f.Texts("sources"),
        f.OptionalText("file"),
        f.OptionalText("contentNote"),
        f.Bool("disqualified") ?? false);

    private static AwardRecord ReadAward(JsonFields a) => new(a.Text("name"), a.Text("category"), a.Int("order"), a.OptionalText("note"));

    private static JsonSerializerOptions CreateWriteOptions()
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        ErrorHandling.Configure(options);
        options.Converters.Add(new CategoryWriter());
        return options;
    }

    /// <summary>A category as a file gives it: its name alone when it has no description and the default finalist limit
    /// (as files written before categories had more), else an object.</summary>
    private sealed class CategoryWriter : JsonConverter<CategoryRecord>
    {
        public override CategoryRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Contest files are read by ContestJson.Read.");

        public override void Write(Utf8JsonWriter writer, CategoryRecord value, JsonSerializerOptions options)
        {
            if (value.Description.Length == 0 && value.FinalistLimit == CategoryRecord.DefaultFinalistLimit)
            {
                writer.WriteStringValue(value.Name);
                return;
            }

            writer.WriteStartObject();
            writer.WriteString("name", value.Name);
            if (value.Description.Length > 0)
            {
                writer.WriteString("description", value.Description);
            }

            writer.WriteNumber("finalistLimit", value.FinalistLimit);
            writer.WriteEndObject();
        }
    }

    /// <summary>One JSON value and its path ("finalists[3].title"), read leniently: a missing or null value reads as
    /// empty; a value of the wrong type is reported under its path and reads as empty too.</summary>
    private sealed class JsonFields
    {
        private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

        private readonly JsonElement _value;
        private readonly ImportIssues _issues;

        /// <summary>An object: fields not in <paramref name="known"/> are reported.</summary>
        public JsonFields(JsonElement value, string path, ImportIssues issues, string[] known)
            : this(value, path, issues)
        {
            foreach (var property in value.EnumerateObject().Where(p => !known.Contains(p.Name)))
            {
                issues.Error(FieldPath(property.Name), $"Unknown field '{property.Name}'. Fields here: {string.Join(", ", known)}.");
            }
        }

        private JsonFields(JsonElement value, string path, ImportIssues issues)
        {
            _value = value;
            Path = path;
            _issues = issues;
        }

        public string Path { get; }

        /// <summary>Reports the fields that are missing or null.</summary>
        public void Require(params string[] names)
        {
            foreach (var name in names.Where(n => Field(n)._value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null))
            {
                _issues.Error(FieldPath(name), "Required.");
            }
        }

        /// <summary>A category: its name as text, or an object with its name, description and finalist limit.</summary>
        public CategoryRecord Category()
        {
            if (_value.ValueKind != JsonValueKind.Object)
            {
                return new CategoryRecord(Text());
            }

            var category = new JsonFields(_value, Path, _issues, CategoryFields);
            category.Require("name");
            return new CategoryRecord(category.Text("name"), category.Text("description"),
                category.Int("finalistLimit") ?? CategoryRecord.DefaultFinalistLimit);
        }

        /// <summary>This value as text, trimmed.</summary>
        public string Text() => Is(JsonValueKind.String, "text") ? _value.GetString()!.Trim() : "";

        public string Text(string name) => Field(name).Text();

        public string? OptionalText(string name) => Text(name) is { Length: > 0 } text ? text : null;

        /// <summary>A text as it is written, or null when it is missing: the details' texts are tidied
        /// (<see cref="ContestDetails.Tidied"/>) and checked exactly as the console's editor takes them.</summary>
        public string? UntrimmedText(string name) => Field(name) is var field && field.Is(JsonValueKind.String, "text") ? field._value.GetString() : null;

        public int? Int(string name)
        {
            var field = Field(name);
            if (!field.Is(JsonValueKind.Number, "a whole number"))
            {
                return null;
            }

            if (field._value.TryGetInt32(out var number))
            {
                return number;
            }

            _issues.Error(field.Path, "Wrong type of value: expected a whole number.");
            return null;
        }

        public bool? Bool(string name)
        {
            var field = Field(name);
            if (field._value.ValueKind == JsonValueKind.False)
            {
                return false;
            }

            return field.Is(JsonValueKind.True, "true or false") ? true : null;
        }

        /// <summary>A list of texts, each trimmed; blank ones left out.</summary>
        public IReadOnlyList<string> Texts(string name) => [.. Field(name).Items().Select(item => item.Text()).Where(t => t.Length > 0)];

        /// <summary>An object field; a missing one reads as an empty object.</summary>
        public JsonFields Object(string name, string[] known)
        {
            var field = Field(name);
            return new JsonFields(field.Is(JsonValueKind.Object, "an object") ? field._value : EmptyObject, field.Path, _issues, known);
        }

        /// <summary>The items of an array field; a missing one has none.</summary>
        public IEnumerable<JsonFields> Items(string name) => Field(name).Items();

        /// <summary>The items of an array field of objects; an item that is not an object is reported and left out.</summary>
        public IEnumerable<JsonFields> Objects(string name, string[] known) =>
            Items(name).Where(item => item.Is(JsonValueKind.Object, "an object")).Select(item => new JsonFields(item._value, item.Path, _issues, known));

        private IEnumerable<JsonFields> Items() => Is(JsonValueKind.Array, "an array")
            ? _value.EnumerateArray().Select((item, i) => new JsonFields(item, $"{Path}[{i}]", _issues)).ToList()
            : [];

        private JsonFields Field(string name) =>
            new(_value.ValueKind == JsonValueKind.Object && _value.TryGetProperty(name, out var value) ? value : default, FieldPath(name), _issues);

        private string FieldPath(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

        /// <summary>Whether the value is of this kind; false without a word when it is missing or null.</summary>
        private bool Is(JsonValueKind kind, string expected)
        {
            if (_value.ValueKind == kind)
            {
                return true;
            }

            if (_value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
            {
                _issues.Error(Path, $"Wrong type of value: expected {expected}.");
            }

            return false;
        }
    }
}
