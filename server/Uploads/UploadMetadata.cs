using System.Text;

namespace AmvScreening.Server.Uploads;

/// <summary>
/// The <c>Upload-Metadata</c> header of a creation request, read strictly (docs/entries.md, "Uploads"): pairs
/// <c>key base64value</c> separated by commas, keys from the list below and each at most once, values in standard
/// Base64 (with padding) of UTF-8 text without control characters. <c>entry</c> (the private entry page's secret) and
/// <c>filename</c> are required; <c>filetype</c> (the browser's idea of the type) is accepted and ignored.
/// </summary>
public static class UploadMetadata
{
    public const string Header = "Upload-Metadata";

    /// <summary>The longest header read: far more than the three values need.</summary>
    public const int MaxHeaderLength = 2048;

    private const int MaxEntryLength = 128;
    private const int MaxFileNameLength = 255;

    private static readonly Dictionary<string, int> MaxLengths = new(StringComparer.Ordinal)
    {
        ["entry"] = MaxEntryLength,
        ["filename"] = MaxFileNameLength,
        ["filetype"] = 255,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>What the creation request says: the entry's secret and the name the editor's file has (for display).</summary>
    public sealed record Values(string Entry, string FileName);

    /// <summary>The values, or the field at fault ("Upload-Metadata", "Upload-Metadata.filename", …) and why.</summary>
    public static (Values? Values, string Field, string Error) Parse(string? header)
    {
        const string Shape = "pairs 'key base64value' separated by commas, with the keys entry and filename";
        if (string.IsNullOrEmpty(header))
        {
            return Fail(Header, $"Required: {Shape}.");
        }

        if (header.Length > MaxHeaderLength)
        {
            return Fail(Header, $"Too long: at most {MaxHeaderLength} characters.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in header.Split(','))
        {
            var space = pair.IndexOf(' ');
            var key = space < 0 ? pair : pair[..space];
            var encoded = space < 0 ? "" : pair[(space + 1)..];
            if (key.Length == 0)
            {
                return Fail(Header, $"A pair has no key: expected {Shape}.");
            }

            if (!MaxLengths.TryGetValue(key, out var maxLength))
            {
                return Fail(Header, $"Unknown key '{Printable(key)}': the keys are {string.Join(", ", MaxLengths.Keys)}.");
            }

            var field = $"{Header}.{key}";
            if (values.ContainsKey(key))
            {
                return Fail(field, "Given twice.");
            }

            if (Decode(encoded) is not { } value)
            {
                return Fail(field, "Not standard Base64 (A–Z, a–z, 0–9, + and /, padded with =) of UTF-8 text.");
            }

            if (value.Length == 0 || value.Length > maxLength)
            {
                return Fail(field, $"Must be 1 to {maxLength} characters long.");
            }

            if (value.Any(char.IsControl) || value.Trim().Length == 0)
            {
                return Fail(field, "Must be text without control characters.");
            }

            values[key] = value;
        }

        foreach (var required in (string[])["entry", "filename"])
        {
            if (!values.ContainsKey(required))
            {
                return Fail($"{Header}.{required}", "Required.");
            }
        }

        return (new Values(values["entry"], values["filename"].Trim()), "", "");
    }

    /// <summary>Standard Base64 with padding, nothing else (no spaces, no URL alphabet), of valid UTF-8.</summary>
    private static string? Decode(string encoded)
    {
        if (encoded.Length % 4 != 0 || encoded.Length > MaxHeaderLength)
        {
            return null;
        }

        var padding = encoded.EndsWith("==", StringComparison.Ordinal) ? 2 : encoded.EndsWith('=') ? 1 : 0;
        for (var i = 0; i < encoded.Length - padding; i++)
        {
            if (!char.IsAsciiLetterOrDigit(encoded[i]) && encoded[i] is not ('+' or '/'))
            {
                return null;
            }
        }

        var bytes = new byte[encoded.Length / 4 * 3];
        if (!Convert.TryFromBase64String(encoded, bytes, out var length))
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>A key as it may be shown back: printable ASCII only, shortened.</summary>
    private static string Printable(string key) =>
        new([.. key.Take(40).Select(c => c is >= ' ' and <= '~' ? c : '?')]);

    private static (Values?, string, string) Fail(string field, string error) => (null, field, error);
}
